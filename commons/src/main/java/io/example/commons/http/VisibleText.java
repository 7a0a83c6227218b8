package io.example.commons.http;

/**
 * The rule for text people read (a display name, a product's name, category and description): no control
 * character and no invisible format character (Unicode category Cf: a right-to-left override, a zero-width
 * space, a soft hyphen), which make a text read as another one or hide part of it. Tabs and line breaks are
 * control characters; a field of several lines takes them.
 */
public final class VisibleText {
    /** The message for a field that breaks the rule. */
    public static final String RULE = "must not contain control or invisible format characters";

    private VisibleText() {
    }

    /**
     * @param text      the text
     * @param multiLine whether tabs and line breaks ({@code \t}, {@code \n}, {@code \r}) are allowed
     * @return whether every character of it is seen
     */
    public static boolean isVisible(String text, boolean multiLine) {
        return text.codePoints().noneMatch(c -> Character.getType(c) == Character.FORMAT
                || (Character.isISOControl(c) && !(multiLine && (c == '\t' || c == '\n' || c == '\r'))));
    }
}
