package dev.lstm4j.peer;

import java.util.Objects;

/**
 * How one job went: its samples, or the reason it could not run (the peer lacks a feature, ran out of
 * memory, ...). Exactly one of the two is set.
 */
public record PeerOutcome(String jobId, Samples samples, String error) {

    public PeerOutcome {
        Objects.requireNonNull(jobId, "jobId");
        if ((samples == null) == (error == null)) {
            throw new IllegalArgumentException("job " + jobId + ": exactly one of samples and error must be set");
        }
    }

    public static PeerOutcome measured(String jobId, Samples samples) {
        return new PeerOutcome(jobId, samples, null);
    }

    public static PeerOutcome failed(String jobId, String error) {
        return new PeerOutcome(jobId, null, error);
    }

    public boolean ok() {
        return samples != null;
    }
}
