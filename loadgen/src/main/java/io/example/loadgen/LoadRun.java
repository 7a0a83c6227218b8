package io.example.loadgen;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * One run: learn the catalogue, start the virtual users, print the table every {@code --report-every} and
 * at the end, and say whether the run passes {@code --fail-on}.
 */
final class LoadRun {
    /** users finish the call they are in (each has a timeout) before the final table */
    private static final Duration FINISH_CALLS = Duration.ofSeconds(20);

    /** requests per second and user above which the gateway's default per-client limit (50/s) is near */
    private static final double SAFE_USER_RATE = 40;

    private final LoadOptions options;
    private final PrintStream out;
    private final PrintStream err;
    private final TrafficStats stats = new TrafficStats();
    private final StopSignal stop = new StopSignal();
    private final long startNanos = System.nanoTime();
    private final Shoppers shoppers;

    LoadRun(LoadOptions options, PrintStream out, PrintStream err) {
        this.options = options;
        this.out = out;
        this.err = err;
        ShopClient shop = new ShopClient(options.base(), stats, stop, err);
        this.shoppers = new Shoppers(shop, new Catalogue(), new Pacer(options.spawnRate(), startNanos),
                new Pacer(options.anonymousRate(), startNanos),
                new Pacer(options.loginRate(), startNanos), stop, options, err);
    }

    /** @return the exit code: 0, 1 when {@code --fail-on} matched, 2 when the gateway could not be reached */
    int execute() {
        Optional<String> unreachable = learnCatalogue();
        if (unreachable.isPresent()) {
            err.println("loadgen: " + unreachable.get());
            return 2;
        }
        SecondsFile secondsFile;
        try {
            secondsFile = options.perSecond().isPresent() ? SecondsFile.create(options.perSecond().get()) : SecondsFile.NONE;
        } catch (IOException e) {
            err.println("loadgen: cannot write --per-second " + options.perSecond().get() + " (" + e + ")");
            return 2;
        }
        describePlan();
        List<Thread> users = new ArrayList<>();
        String runId = UUID.randomUUID().toString().substring(0, 8);
        for (int number = 1; number <= options.users(); number++) {
            users.add(Thread.ofVirtual().name("user-" + number).start(new VirtualUser(shoppers, runId, number)));
        }
        // one thread for both, so that a table never lands in the middle of the progress line
        ScheduledExecutorService reporter = Executors.newSingleThreadScheduledExecutor();
        Progress progress = Progress.on(err, options.duration());
        EverySecond everySecond = new EverySecond(stats, secondsFile, progress, startNanos);
        reporter.scheduleAtFixedRate(everySecond, 1, 1, TimeUnit.SECONDS);
        long every = options.reportEvery().toMillis();
        reporter.scheduleAtFixedRate(() -> {
            progress.clear();
            out.print(table("after " + elapsed()));
        }, every, every, TimeUnit.MILLISECONDS);
        if (options.runsUntilStopped()) {
            stop.await();
        } else {
            try {
                stop.waitUntil(startNanos + options.duration().toNanos());
            } catch (StopSignal.Stopped e) {
                // stopped from outside (SIGTERM, Ctrl-C) before the end
            }
        }
        stop.stop();
        stopReporting(reporter);
        awaitUsers(users);
        everySecond.finish();
        out.print(table("final, after " + elapsed()));
        List<String> violations = options.failOn().violations(stats);
        if (!violations.isEmpty()) {
            err.println("loadgen: failed (--fail-on " + String.join(",", options.failOn().entries()) + "): "
                    + String.join(", ", violations));
            return 1;
        }
        return 0;
    }

    /** Ends the run early; {@link #execute()} then prints the final table. */
    void stop() {
        stop.stop();
    }

    /** @return why the gateway cannot be used, if it cannot */
    private Optional<String> learnCatalogue() {
        ShopClient shop = shoppers.shop();
        Catalogue catalogue = shoppers.catalogue();
        try {
            Answer categories = shop.send(Route.CATEGORIES, shoppers.anonymous(), shop.request("/api/products/categories").GET().build());
            categories.jsonArray().ifPresent(catalogue::learnCategories);
            Answer products = shop.send(Route.BROWSE, shoppers.anonymous(), shop.request("/api/products?limit=100").GET().build());
            if (!products.isSuccess()) {
                return Optional.of("GET " + options.base() + "/api/products answered " + products.status() + "; is --base the gateway?");
            }
            products.json().ifPresent(catalogue::learnFirstPage);
        } catch (ShopClient.NoAnswer e) {
            return Optional.of("no answer from " + options.base() + " (" + e.getMessage() + "); is the gateway running?");
        }
        if (catalogue.isEmpty()) {
            err.println("loadgen: the catalogue is empty, so there is nothing to order: users browse, read their profile"
                    + " and overview only. Products are created by an ADMIN (POST /api/products, docs/api/product-service.md);"
                    + " ./run-local.sh prints its local admin, and a fresh database holds the demo catalogue.");
        }
        return Optional.empty();
    }

    private void describePlan() {
        out.printf("loadgen: %d users arriving at %s, %s in all (%s each), against %s for %s; logins at %s, calls without a token at %s%n",
                options.users(), options.spawnRate(), options.rate(), options.userRate(), options.base(),
                options.runsUntilStopped() ? "as long as it runs" : options.duration().toSeconds() + " s",
                options.loginRate(), options.anonymousRate());
        if (options.userRate().perSecond() > SAFE_USER_RATE) {
            err.printf("loadgen: warning: each user sends %s, close to or over the gateway's default limit per user"
                    + " (RATE_LIMIT_PER_SECOND 50): expect 429s, or add users%n", options.userRate());
        }
        double arrived = (options.users() - 1) / options.spawnRate().perSecond();
        double loggedIn = Math.max(0, options.users() - options.loginRate().burst()) / options.loginRate().perSecond();
        out.printf("loadgen: every user is shopping after about %d s%n", (long) Math.ceil(Math.max(arrived, loggedIn)));
    }

    private static void stopReporting(ScheduledExecutorService reporter) {
        reporter.shutdownNow();
        try {
            reporter.awaitTermination(1, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void awaitUsers(List<Thread> users) {
        long deadline = System.nanoTime() + FINISH_CALLS.toNanos();
        for (Thread user : users) {
            try {
                user.join(Duration.ofNanos(Math.max(1, deadline - System.nanoTime())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private String table(String when) {
        return ReportTable.render("loadgen " + when + " (" + options.base() + ")", stats.summary());
    }

    private String elapsed() {
        return Duration.ofNanos(System.nanoTime() - startNanos).toSeconds() + " s";
    }
}
