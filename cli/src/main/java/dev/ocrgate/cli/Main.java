package dev.ocrgate.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code ocrgate}: the one entry point of bin/ocrgate. */
@Command(
    name = "ocrgate",
    mixinStandardHelpOptions = true,
    versionProvider = VersionProvider.class,
    description = "gRPC OCR inference service with JWT-authenticated calls.",
    subcommands = {
      ServeCommand.class,
      KeysCommand.class,
      TokenCommand.class,
      RevokeCommand.class,
      RecognizeCommand.class,
      SubtitlesCommand.class,
      ConfigCommand.class,
      ClientsCommand.class,
      BenchCommand.class,
      CommandLine.HelpCommand.class,
    })
public final class Main implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(run(args));
  }

  /** Runs the CLI and returns its exit status (tests call this instead of main). */
  public static int run(String... args) {
    return new CommandLine(new Main())
        .setCaseInsensitiveEnumValuesAllowed(true)
        .setExecutionExceptionHandler(Main::failed)
        .execute(args);
  }

  /**
   * A command that threw: one line on stderr naming the command and what went wrong, exit 1; the
   * stack trace only with {@code OCRGATE_DEBUG} set. Parameter errors never get here (picocli
   * prints them with the usage, exit 2).
   */
  static int failed(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) {
    String name = cmd.getCommandSpec().qualifiedName();
    boolean userError = e instanceof IllegalArgumentException || e instanceof IOException
        || e instanceof UncheckedIOException || e instanceof IllegalStateException;
    String what = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
    cmd.getErr().println(name + ": " + (userError ? what : "internal error: " + e.getClass().getSimpleName()
        + ": " + what + " (set OCRGATE_DEBUG=1 for the stack trace)"));
    if (System.getenv("OCRGATE_DEBUG") != null) {
      e.printStackTrace(cmd.getErr());
    }
    return 1;
  }

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
