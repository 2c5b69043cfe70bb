package dev.ocrgate.cli;

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
    return new CommandLine(new Main()).setCaseInsensitiveEnumValuesAllowed(true).execute(args);
  }

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
