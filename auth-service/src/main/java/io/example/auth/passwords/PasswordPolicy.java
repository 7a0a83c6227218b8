package io.example.auth.passwords;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.HashSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Which passwords may be set (NIST SP 800-63B, 3.1.1.2): 8 to 128 characters counted as Unicode code points
 * of the NFC form, not whitespace alone or one character repeated, not containing the part of the account's
 * email before the @, and not in the list of common and breached passwords shipped with the service
 * ({@code common-passwords.txt}), compared case-insensitively. No composition rules (digits, symbols): the
 * standard advises against them.
 *
 * <p>The rules only decide what may be set; the password is hashed exactly as received.
 */
public final class PasswordPolicy {
    /** Fewest characters a password may have. */
    public static final int MIN_LENGTH = 8;
    /** Most characters a password may have. */
    public static final int MAX_LENGTH = 128;
    // a one- or two-letter local part would forbid most passwords and protects nothing
    private static final int MIN_LOCAL_PART = 3;
    private static final String LIST = "/common-passwords.txt";

    private final Set<String> common;

    private PasswordPolicy(Set<String> common) {
        this.common = common;
    }

    /**
     * @return the policy with the list shipped in this module's resources
     */
    public static PasswordPolicy withShippedList() {
        try (InputStream in = PasswordPolicy.class.getResourceAsStream(LIST)) {
            if (in == null) {
                throw new IllegalStateException(LIST + " is missing from the classpath");
            }
            Set<String> common = new HashSet<>();
            new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).lines()
                    .filter(line -> !line.isEmpty() && !line.startsWith("#"))
                    .map(PasswordPolicy::folded)
                    .forEach(common::add);
            return new PasswordPolicy(Set.copyOf(common));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * @param password the password as received (not null)
     * @param email    the account's normalised email, or empty when it is not known to be valid
     * @return what is wrong with the password, phrased for the client (after the field name); empty if it may be set
     */
    public Optional<String> violation(String password, Optional<String> email) {
        String nfc = Normalizer.normalize(password, Normalizer.Form.NFC);
        int length = nfc.codePointCount(0, nfc.length());
        if (length < MIN_LENGTH || length > MAX_LENGTH) {
            return Optional.of("must be " + MIN_LENGTH + " to " + MAX_LENGTH + " characters");
        }
        if (nfc.codePoints().allMatch(PasswordPolicy::isSpace)) {
            return Optional.of("must not be only spaces");
        }
        if (nfc.codePoints().distinct().count() == 1) {
            return Optional.of("must not be one character repeated");
        }
        String folded = folded(password);
        Optional<String> local = email.map(address -> folded(address.substring(0, address.lastIndexOf('@'))))
                .filter(part -> part.codePointCount(0, part.length()) >= MIN_LOCAL_PART);
        if (local.isPresent() && folded.contains(local.get())) {
            return Optional.of("must not contain the part of the email before the @");
        }
        if (common.contains(folded) || common.contains(folded.strip())) {
            return Optional.of("is too common: it appears in lists of breached passwords; choose another");
        }
        return Optional.empty();
    }

    private static boolean isSpace(int codePoint) {
        return Character.isWhitespace(codePoint) || Character.isSpaceChar(codePoint);
    }

    // compatibility forms and case do not make a password any less guessable
    private static String folded(String text) {
        return Normalizer.normalize(text, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
    }
}
