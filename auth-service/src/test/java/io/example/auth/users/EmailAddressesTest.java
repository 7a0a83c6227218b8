package io.example.auth.users;

import java.util.List;
import java.util.Locale;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Assume;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The email normaliser: examples of each rule, and properties over generated addresses and arbitrary text.
 */
class EmailAddressesTest {
    private static final String ATEXT = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!#$%&'*+/=?^_`{|}~-";
    // characters nobody can see or type on purpose in an address: controls, zero-width and bidi formatting
    private static final List<Character> INVISIBLE = List.of('\u0000', '\u0007', '\t', '\n', '\r', '\u007F', '\u0085',
                                                             '\u00AD', '\u061C', '\u200B', '\u200C', '\u200D',
                                                             '\u200E', '\u202E', '\u2060', '\u2066', '\uFEFF',
                                                             '\u00A0', '\u2028', '\u3000', ' ');

    @Test
    void anOrdinaryAddressIsLowerCasedAndTrimmed() {
        assertThat(EmailAddresses.normalize("  Ada.Lovelace+shop@Example.COM\t")).isEqualTo(valid("ada.lovelace+shop@example.com"));
    }

    @Test
    void fullWidthFormsFoldToAscii() {
        assertThat(EmailAddresses.normalize("\uFF41\uFF44\uFF41\uFF20\uFF45\uFF58\uFF41\uFF4D\uFF50\uFF4C\uFF45\uFF0E\uFF43\uFF4F\uFF4D"))
                .isEqualTo(valid("ada@example.com"));
    }

    @Test
    void anInternationalDomainBecomesItsAsciiForm() {
        assertThat(EmailAddresses.normalize("hans@B\u00FCcher.Example")).isEqualTo(valid("hans@xn--bcher-kva.example"));
        assertThat(EmailAddresses.normalize("hans@xn--bcher-kva.example")).isEqualTo(valid("hans@xn--bcher-kva.example"));
    }

    @Test
    void aCyrillicLetterInTheDomainCannotPassForItsLatinTwin() {
        assertThat(EmailAddresses.normalize("admin@\u0435xample.com")).isInstanceOf(EmailAddresses.Valid.class)
                .isNotEqualTo(valid("admin@example.com"));
    }

    @Test
    void nonCanonicalAsciiLabelsAreRejected() {
        // "xn--zca" spells ß, which IDNA maps to "ss": a second spelling of hans@ss.example
        assertThat(EmailAddresses.normalize("hans@xn--zca.example")).isInstanceOf(EmailAddresses.Invalid.class);
    }

    @Test
    void aUnicodeLocalPartIsRejected() {
        assertThat(EmailAddresses.normalize("\u0430dmin@example.com")).isInstanceOf(EmailAddresses.Invalid.class);
        assertThat(EmailAddresses.normalize("j\u00F6rg@example.com")).isInstanceOf(EmailAddresses.Invalid.class);
    }

    @Test
    void malformedAddressesAreRejected() {
        for (String bad : List.of("", "   ", "plain", "@example.com", "a@", "a@b@example.com", "a@localhost",
                                  "a@example.com.", "a@.example.com", "a@exa..mple.com", ".a@example.com", "a.@example.com",
                                  "a..b@example.com", "\"quoted\"@example.com", "a@[127.0.0.1]", "a@127.0.0.1",
                                  "a@-example.com", "a@example-.com", "a@exa_mple.com", "a b@example.com")) {
            assertThat(EmailAddresses.normalize(bad)).as(bad).isInstanceOf(EmailAddresses.Invalid.class);
        }
        assertThat(EmailAddresses.normalize(null)).isEqualTo(new EmailAddresses.Invalid("is required"));
    }

    @Test
    void rfc5321LengthsAreTheLimits() {
        String domain = "@" + "d".repeat(63) + "." + "e".repeat(63) + "." + "f".repeat(63) + ".com";

        assertThat(EmailAddresses.normalize("a".repeat(64) + "@example.com")).isInstanceOf(EmailAddresses.Valid.class);
        assertThat(EmailAddresses.normalize("a".repeat(65) + "@example.com")).isInstanceOf(EmailAddresses.Invalid.class);
        assertThat(EmailAddresses.normalize("a".repeat(254 - domain.length()) + domain)).isInstanceOf(EmailAddresses.Valid.class);
        assertThat(EmailAddresses.normalize("a".repeat(255 - domain.length()) + domain)).isInstanceOf(EmailAddresses.Invalid.class);
        assertThat(EmailAddresses.normalize("a@" + "d".repeat(64) + ".com")).isInstanceOf(EmailAddresses.Invalid.class);
    }

    @Property
    void aNormalisedAddressIsShortLowerCaseVisibleAsciiAndAFixedPoint(@ForAll("addresses") String address) {
        String normalised = ((EmailAddresses.Valid) EmailAddresses.normalize(address)).address();

        assertThat(normalised).hasSizeLessThanOrEqualTo(254).isEqualTo(normalised.toLowerCase(Locale.ROOT));
        assertThat(normalised.chars()).allMatch(c -> c > 0x20 && c < 0x7F);
        assertThat(normalised.indexOf('@')).isBetween(1, 64);
        assertThat(EmailAddresses.normalize(normalised)).isEqualTo(valid(normalised));
    }

    @Property
    void caseAndSurroundingSpacesNeverMakeADifferentAddress(@ForAll("addresses") String address,
                                                            @ForAll @IntRange(max = 3) int spaces) {
        String padded = " ".repeat(spaces) + address.toUpperCase(Locale.ROOT) + "\t".repeat(spaces);

        assertThat(EmailAddresses.normalize(padded)).isEqualTo(EmailAddresses.normalize(address));
    }

    @Property
    void anInvisibleOrSpaceCharacterAnywhereInsideIsRejected(@ForAll("addresses") String address,
                                                              @ForAll("invisible") char invisible,
                                                              @ForAll @IntRange(min = 1, max = 200) int where) {
        int at = Math.max(1, where % address.length());
        String spoofed = address.substring(0, at) + invisible + address.substring(at);

        assertThat(EmailAddresses.normalize(spoofed)).isInstanceOf(EmailAddresses.Invalid.class);
    }

    @Property
    void aZeroWidthOrControlCharacterInFrontIsRejected(@ForAll("addresses") String address,
                                                        @ForAll("invisible") char invisible) {
        Assume.that(!Character.isWhitespace(invisible) && !Character.isSpaceChar(invisible));

        assertThat(EmailAddresses.normalize(invisible + address)).isInstanceOf(EmailAddresses.Invalid.class);
    }

    @Property(tries = 2000)
    void anyTextIsEitherRejectedOrNormalisedNeverAnException(@ForAll String text) {
        EmailAddresses.Result result = EmailAddresses.normalize(text);

        if (result instanceof EmailAddresses.Valid valid) {
            assertThat(valid.address().chars()).allMatch(c -> c > 0x20 && c < 0x7F);
        } else {
            assertThat(((EmailAddresses.Invalid) result).reason()).isNotBlank();
        }
    }

    @Provide
    Arbitrary<String> addresses() {
        Arbitrary<String> atom = Arbitraries.strings().withChars(ATEXT).ofMinLength(1).ofMaxLength(12);
        Arbitrary<String> local = atom.list().ofMinSize(1).ofMaxSize(4).map(atoms -> String.join(".", atoms))
                .filter(l -> l.length() <= 64);
        Arbitrary<String> label = Arbitraries.strings().withCharRange('a', 'z').withCharRange('0', '9').withChars('-')
                .ofMinLength(1).ofMaxLength(20)
                .filter(l -> !l.startsWith("-") && !l.endsWith("-") && !l.startsWith("xn--"));
        Arbitrary<String> tld = Arbitraries.strings().withCharRange('a', 'z').ofMinLength(2).ofMaxLength(6);
        Arbitrary<String> domain = Combinators.combine(label.list().ofMinSize(1).ofMaxSize(3), tld)
                .as((labels, top) -> String.join(".", labels) + "." + top);
        return Combinators.combine(local, domain).as((l, d) -> l + "@" + d).filter(a -> a.length() <= 254);
    }

    @Provide
    Arbitrary<Character> invisible() {
        return Arbitraries.of(INVISIBLE);
    }

    private static EmailAddresses.Result valid(String address) {
        return new EmailAddresses.Valid(address);
    }
}
