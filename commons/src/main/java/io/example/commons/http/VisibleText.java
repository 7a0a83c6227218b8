package io.example.commons.http;

/**
 * The rule for text people read (a display name, a product's name, category and description): no control
 * character, no character that reorders what follows it (the bidirectional overrides, embeddings and isolates,
 * {@code U+202A}-{@code U+202E}, {@code U+2066}-{@code U+2069}) and no character of no width that can sit
 * between two others unseen ({@code U+200B} zero-width space, {@code U+2060} word joiner, {@code U+FEFF}), which
 * make a text read as another one. Joiners that shape what they join stay allowed ({@code U+200C}/{@code U+200D}
 * in Persian, Indic scripts and emoji), as do the right-to-left and left-to-right marks of mixed-direction text.
 * Tabs and line breaks ({@code \t}, {@code \n}, {@code \r}, {@code U+2028}, {@code U+2029}) only where a field
 * takes several lines: a one-line field checks {@link #isOneLine} as well.
 */
public final class VisibleText {
    /** The message for a field that breaks the rule. */
    public static final String RULE = "must not contain control, reordering or zero-width characters";

    private VisibleText() {
    }

    /**
     * @param text the text
     * @return whether it reads as it is (tabs and line breaks aside: see {@link #isOneLine})
     */
    public static boolean isVisible(String text) {
        return text.codePoints().noneMatch(c -> hidden(c) || (Character.isISOControl(c) && !lineBreak(c)));
    }

    /**
     * @param text the text
     * @return whether it has no tab and no line break
     */
    public static boolean isOneLine(String text) {
        return text.codePoints().noneMatch(VisibleText::lineBreak);
    }

    private static boolean hidden(int c) {
        return (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069) || c == 0x200B || c == 0x2060
                || c == 0xFEFF;
    }

    private static boolean lineBreak(int c) {
        return c == '\t' || c == '\n' || c == '\r' || c == 0x2028 || c == 0x2029;
    }
}
