package io.example.auth.passwords;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.List;
import java.util.Optional;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The rules for new passwords, one at a time.
 */
class PasswordPolicyTest {
    private static final PasswordPolicy POLICY = PasswordPolicy.withShippedList();
    private static final Optional<String> NO_EMAIL = Optional.empty();

    @Test
    void aLongUncommonPassphraseIsAccepted() {
        assertThat(POLICY.violation("correct-horse", Optional.of("ada@example.com"))).isEmpty();
        assertThat(POLICY.violation("gl\u00FChwein am kamin", NO_EMAIL)).isEmpty();
    }

    @Test
    void commonPasswordsAreRejectedWhateverTheCaseOrCompatibilityForm() {
        for (String common : List.of("password", "PASSWORD", "Password1", "12345678", "qwertyuiop", "1q2w3e4r",
                                     "iloveyou", "P@ssw0rd", "Summer2024", "\uFF50\uFF41\uFF53\uFF53\uFF57\uFF4F\uFF52\uFF44",
                                     "password ")) {
            assertThat(POLICY.violation(common, NO_EMAIL)).as(common).hasValueSatisfying(m -> assertThat(m).contains("common"));
        }
    }

    @Test
    void theShippedListHasThousandsOfEntries() throws Exception {
        try (var lines = new BufferedReader(new InputStreamReader(
                PasswordPolicy.class.getResourceAsStream("/common-passwords.txt"),
                StandardCharsets.UTF_8)).lines()) {
            assertThat(lines.filter(l -> !l.startsWith("#")).count()).isGreaterThan(3000);
        }
    }

    @Test
    void lengthIsCountedInCharactersOfTheComposedForm() {
        String sevenEmoji = "\uD83D\uDE00\uD83D\uDC31\uD83D\uDE80\uD83C\uDF35\uD83C\uDFB2\uD83E\uDDE9\uD83C\uDF88";
        String sevenAccentsDecomposed = Normalizer.normalize("\u00E9\u00E8\u00EA\u00EB\u00E0\u00E2\u00E4", Normalizer.Form.NFD);
        String eightAccentsDecomposed = Normalizer.normalize("\u00E9\u00E8\u00EA\u00EB\u00E0\u00E2\u00E4\u00F6", Normalizer.Form.NFD);

        assertThat(POLICY.violation(sevenEmoji, NO_EMAIL)).hasValue("must be 8 to 128 characters");
        assertThat(POLICY.violation(sevenAccentsDecomposed, NO_EMAIL)).hasValue("must be 8 to 128 characters");
        assertThat(POLICY.violation(eightAccentsDecomposed, NO_EMAIL)).isEmpty();
        assertThat(POLICY.violation(sevenEmoji.repeat(19).substring(0, 256), NO_EMAIL)).isEmpty();
        assertThat(POLICY.violation(sevenEmoji.repeat(19).substring(0, 258), NO_EMAIL)).hasValue("must be 8 to 128 characters");
    }

    @Test
    void onlyWhitespaceIsRejected() {
        for (String blank : List.of("        ", "\t\t\t\t\t\t\t\t", " \u00A0 \u3000 \u2003 \n ")) {
            assertThat(POLICY.violation(blank, NO_EMAIL)).as(blank).isPresent();
        }
    }

    @Test
    void oneRepeatedCharacterIsRejected() {
        assertThat(POLICY.violation("zzzzzzzzzzzz", NO_EMAIL)).hasValue("must not be one character repeated");
        assertThat(POLICY.violation("\uD83D\uDE00".repeat(9), NO_EMAIL)).hasValue("must not be one character repeated");
    }

    @Test
    void thePartOfTheEmailBeforeTheAtIsRejectedInAnyCase() {
        assertThat(POLICY.violation("I am Margaret.Hamilton!", Optional.of("margaret.hamilton@example.com")))
                .hasValue("must not contain the part of the email before the @");
        assertThat(POLICY.violation("xo-correct-horse", Optional.of("xo@example.com"))).isEmpty();
    }
}
