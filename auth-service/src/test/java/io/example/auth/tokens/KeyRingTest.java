package io.example.auth.tokens;

import java.util.Base64;
import java.util.Map;

import io.example.commons.security.SigningKey;

import io.helidon.config.Config;
import io.helidon.config.ConfigSources;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KeyRingTest {
    @Test
    void privateKeyPemYieldsItsPublicKeyAndThumbprintKid() {
        SigningKey original = SigningKey.generate();

        KeyRing ring = KeyRing.create(jwt(Map.of("private.key", pem("PRIVATE KEY", original.privateKey().getEncoded()))));

        assertThat(ring.signingKey().kid()).isEqualTo(original.kid());
        assertThat(ring.signingKey().publicKey().getW()).isEqualTo(original.publicKey().getW());
    }

    @Test
    void previousPublicKeysArePublishedAfterTheSigningKey() {
        SigningKey current = SigningKey.generate();
        SigningKey previous = SigningKey.generate();

        KeyRing ring = KeyRing.create(jwt(Map.of(
                "private.key", pem("PRIVATE KEY", current.privateKey().getEncoded()),
                "previous.public.keys", pem("PUBLIC KEY", previous.publicKey().getEncoded()))));

        assertThat(ring.published()).extracting(SigningKey::kid).containsExactly(current.kid(), previous.kid());
    }

    @Test
    void missingKeyGeneratesOne() {
        assertThat(KeyRing.create(jwt(Map.of())).published()).hasSize(1);
    }

    @Test
    void aKeyThatIsNotPkcs8IsRefusedAtStart() {
        assertThatThrownBy(() -> KeyRing.create(jwt(Map.of("private.key", pem("RSA PRIVATE KEY", new byte[16])))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("PKCS#8");
    }

    private static Config jwt(Map<String, String> values) {
        return Config.just(ConfigSources.create(values));
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder().encodeToString(der) + "\n-----END " + type + "-----\n";
    }
}
