package dev.lstm4j.peer;

import java.util.Arrays;
import java.util.stream.Collectors;

/** Wall-clock times of the measured iterations, in milliseconds, in the order they ran. */
public record Samples(double[] millis) {

    public Samples {
        if (millis.length == 0) {
            throw new IllegalArgumentException("no samples");
        }
        millis = millis.clone();
    }

    @Override
    public double[] millis() {
        return millis.clone();
    }

    public int count() {
        return millis.length;
    }

    /** The median: robust to the odd iteration that a shared machine slows down. */
    public double median() {
        double[] s = sorted();
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
    }

    public double min() {
        return sorted()[0];
    }

    public double max() {
        return sorted()[millis.length - 1];
    }

    /** Comma-separated, for report files. */
    public String format() {
        return Arrays.stream(millis).mapToObj(Double::toString).collect(Collectors.joining(","));
    }

    public static Samples parse(String text) {
        return new Samples(Arrays.stream(text.split(",")).mapToDouble(s -> Double.parseDouble(s.trim())).toArray());
    }

    private double[] sorted() {
        double[] s = millis.clone();
        Arrays.sort(s);
        return s;
    }
}
