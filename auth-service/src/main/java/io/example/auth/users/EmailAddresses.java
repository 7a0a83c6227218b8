package io.example.auth.users;

import java.net.IDN;
import java.text.Normalizer;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Turns what a client typed as an email address into the one form the service stores and compares, or says
 * why it is not an address. Two inputs that look alike (case, full-width forms, surrounding spaces) reach the
 * same form; characters that cannot be seen or typed (controls, zero-width and other format characters) are
 * refused rather than dropped, so no look-alike can pose as another address. The rules are written down in
 * docs/api/auth-service.md ("How addresses are normalised").
 */
public final class EmailAddresses {
    /** RFC 5321: a local part of at most 64 octets, a path of at most 256 with its angle brackets. */
    static final int MAX_LOCAL = 64;
    static final int MAX_TOTAL = 254;
    private static final int MAX_LABEL = 63;

    // RFC 5322 dot-atom: atext runs separated by single dots; quoted strings and comments are not accepted
    private static final Pattern DOT_ATOM = Pattern.compile("[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(\\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*");
    private static final Pattern LABEL = Pattern.compile("[a-z0-9]([a-z0-9-]*[a-z0-9])?");

    private EmailAddresses() {
    }

    /** The outcome of {@link #normalize(String)}. */
    public sealed interface Result {
    }

    /**
     * @param address the normalised address: ASCII, lower case, the domain in IDNA ASCII form
     */
    public record Valid(String address) implements Result {
    }

    /**
     * @param reason what is wrong, phrased for the client (after the field name)
     */
    public record Invalid(String reason) implements Result {
    }

    /**
     * @param raw the address as received
     * @return the normalised address, or why there is none
     */
    public static Result normalize(String raw) {
        if (raw == null || raw.isBlank()) {
            return new Invalid("is required");
        }
        String text = Normalizer.normalize(raw, Normalizer.Form.NFKC).strip();
        if (text.codePoints().anyMatch(EmailAddresses::invisibleOrSpace)) {
            return new Invalid("must not contain control, invisible or space characters");
        }
        int at = text.lastIndexOf('@');
        if (at <= 0 || at == text.length() - 1 || text.indexOf('@') != at) {
            return new Invalid("must be a valid email address");
        }
        String local = text.substring(0, at);
        if (!DOT_ATOM.matcher(local).matches()) {
            return new Invalid("must have only ASCII letters, digits, dots and !#$%&'*+-/=?^_`{|}~ before the @");
        }
        String domain = asciiDomain(text.substring(at + 1));
        if (domain == null) {
            return new Invalid("must have a valid domain after the @");
        }
        if (local.length() > MAX_LOCAL || local.length() + 1 + domain.length() > MAX_TOTAL) {
            return new Invalid("must be at most " + MAX_TOTAL + " characters, at most " + MAX_LOCAL + " before the @");
        }
        return new Valid(local.toLowerCase(Locale.ROOT) + "@" + domain);
    }

    private static boolean invisibleOrSpace(int codePoint) {
        return switch (Character.getType(codePoint)) {
            case Character.CONTROL, Character.FORMAT, Character.SURROGATE, Character.PRIVATE_USE, Character.UNASSIGNED,
                 Character.SPACE_SEPARATOR, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR -> true;
            default -> false;
        };
    }

    /** IDNA (java.net.IDN, STD3 rules) to A-labels, lower case; null when it is not a host name with a dot. */
    private static String asciiDomain(String domain) {
        String ascii;
        try {
            ascii = IDN.toASCII(domain, IDN.USE_STD3_ASCII_RULES).toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException e) {
            return null;
        }
        String[] labels = ascii.split("\\.", -1);
        if (labels.length < 2 || labels[labels.length - 1].chars().noneMatch(Character::isLetter)) {
            return null;
        }
        for (String label : labels) {
            if (label.length() > MAX_LABEL || !LABEL.matcher(label).matches() || !canonical(label)) {
                return null;
            }
        }
        return ascii;
    }

    // an A-label typed as such must decode, and be what its Unicode form encodes to, or two spellings would name
    // one domain (IDN.toUnicode answers with its input when either fails)
    private static boolean canonical(String label) {
        if (!label.startsWith("xn--")) {
            return true;
        }
        String unicode = IDN.toUnicode(label, IDN.USE_STD3_ASCII_RULES);
        try {
            return !unicode.equals(label) && IDN.toASCII(unicode, IDN.USE_STD3_ASCII_RULES).equals(label);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
