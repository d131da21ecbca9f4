package dev.lstm4j.bench.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** The outcome of one in-process {@code lstm} invocation, for tests. */
record ToolRun(int exitCode, String out, String err) {

    static ToolRun of(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = LstmTool.execute(new PrintWriter(out), new PrintWriter(err), args);
        return new ToolRun(code, out.toString(), err.toString());
    }
}
