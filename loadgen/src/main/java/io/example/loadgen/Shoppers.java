package io.example.loadgen;

import java.io.PrintStream;

/**
 * What every virtual user of a run shares: the client, what is known of the catalogue, the pacer of their
 * arrivals and those of the two limits that count per client address (calls without a token, logins), the
 * end of the run, the options.
 */
record Shoppers(ShopClient shop, Catalogue catalogue, Pacer arrivals, Pacer anonymous, Pacer logins, StopSignal stop,
                LoadOptions options, PrintStream err) {
}
