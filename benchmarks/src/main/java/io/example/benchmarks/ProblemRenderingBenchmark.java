package io.example.benchmarks;

import java.util.List;
import java.util.concurrent.TimeUnit;

import io.example.commons.http.ErrorHandling;
import io.example.commons.http.Json;
import io.example.commons.http.Problem;
import io.example.commons.http.ProblemException;

import io.helidon.http.NotFoundException;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The cost of turning a failure into problem+json: mapping the exception and writing the document.
 */
// every benchmark states its JMH run settings itself, so each class reads alone and runs alone with -Pbench
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ProblemRenderingBenchmark {
    private final ProblemException validation = ProblemException.validation(List.of(
            new Problem.FieldError("email", "must be a valid email address"),
            new Problem.FieldError("password", "must be 8 to 128 characters")));
    private final NotFoundException notFound = new NotFoundException("Endpoint not found");

    @Benchmark
    public String validationProblem() {
        return Json.write(ErrorHandling.toProblem(validation));
    }

    @Benchmark
    public String notFoundProblem() {
        return Json.write(ErrorHandling.toProblem(notFound));
    }
}
