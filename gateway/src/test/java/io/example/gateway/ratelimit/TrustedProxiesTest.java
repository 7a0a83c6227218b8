package io.example.gateway.ratelimit;

import java.net.InetAddress;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Parsing and matching of the trusted-proxy list (addresses only: a header value never triggers DNS).
 */
class TrustedProxiesTest {

    @Test
    void cidrRangesAndSingleAddressesMatch() throws Exception {
        TrustedProxies trusted = TrustedProxies.parse("10.0.0.0/8, 192.168.1.7 ,fd00::/8,127.0.0.6");

        assertThat(trusted.contains(InetAddress.getByName("10.20.30.40"))).isTrue();
        assertThat(trusted.contains(InetAddress.getByName("192.168.1.7"))).isTrue();
        assertThat(trusted.contains(InetAddress.getByName("192.168.1.8"))).isFalse();
        assertThat(trusted.contains(InetAddress.getByName("fd12::1"))).isTrue();
        assertThat(trusted.contains(InetAddress.getByName("127.0.0.6"))).isTrue();
        assertThat(trusted.contains(InetAddress.getByName("11.0.0.1"))).isFalse();
    }

    @Test
    void aPartialBytePrefixMatchesOnlyItsRange() throws Exception {
        TrustedProxies trusted = TrustedProxies.parse("172.16.0.0/12");

        assertThat(trusted.contains(InetAddress.getByName("172.31.255.255"))).isTrue();
        assertThat(trusted.contains(InetAddress.getByName("172.32.0.0"))).isFalse();
    }

    @Test
    void blankMeansNoProxyIsTrusted() {
        assertThat(TrustedProxies.parse(" ").isEmpty()).isTrue();
    }

    @Test
    void anEntryThatIsNotAnAddressFailsAtStartUp() {
        assertThatThrownBy(() -> TrustedProxies.parse("ingress.example.com"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("ingress.example.com");
        assertThatThrownBy(() -> TrustedProxies.parse("10.0.0.0/33")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void hostNamesAreNeverLookedUp() {
        assertThat(TrustedProxies.literal("localhost")).isEmpty();
        assertThat(TrustedProxies.literal("unknown")).isEmpty();
        assertThat(TrustedProxies.literal("999.1.1.1")).isEmpty();
        assertThat(TrustedProxies.literal("1.2.3.4:8080")).isEmpty();
        assertThat(TrustedProxies.literal("203.0.113.9")).isPresent();
    }
}
