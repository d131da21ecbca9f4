package dev.lstm4j.bench.cli;

import dev.lstm4j.api.CellType;

import java.util.Locale;

/** The {@code --cell} option's names. */
final class CliCells {
    private CliCells() {
    }

    static CellType parse(String name) {
        return switch (name.toLowerCase(Locale.ROOT)) {
            case "lstm" -> CellType.LSTM;
            case "gru" -> CellType.GRU;
            case "peephole" -> CellType.PEEPHOLE_LSTM;
            default -> throw new ToolFailure("--cell must be lstm, gru or peephole, got " + name);
        };
    }
}
