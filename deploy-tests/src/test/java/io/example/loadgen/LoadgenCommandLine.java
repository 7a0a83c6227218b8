package io.example.loadgen;

import java.net.URI;
import java.util.List;

/**
 * loadgen's command line as loadgen itself reads it, for the deploy-tests' check of the in-cluster Deployment's
 * args: the defaults of the options it leaves out live once, in {@link LoadOptions}. (In loadgen's package because
 * LoadOptions is not public.)
 *
 * @param base               where it sends its calls
 * @param userRequestsPerSecond each user's share of {@code --rate}; each user is one client to the gateway
 * @param loginsPerMinute    {@code --login-rate}
 * @param anonymousPerSecond {@code --anonymous-rate}: calls without a token, one client address
 */
public record LoadgenCommandLine(URI base, double userRequestsPerSecond, double loginsPerMinute, double anonymousPerSecond) {
    /**
     * @param args the container's args
     * @return them, with loadgen's defaults for what they leave out
     * @throws IllegalArgumentException where loadgen would refuse to start
     */
    public static LoadgenCommandLine parse(List<String> args) {
        LoadOptions options = LoadOptions.parse(args.toArray(String[]::new));
        return new LoadgenCommandLine(options.base(), options.userRate().perSecond(), options.loginRate().perSecond() * 60,
                                      options.anonymousRate().perSecond());
    }
}
