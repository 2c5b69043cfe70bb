package dev.ocrgate.cli;

import dev.ocrgate.server.config.ConfigException;
import dev.ocrgate.server.config.ConfigLoader;
import dev.ocrgate.server.config.ConfigPrinter;
import dev.ocrgate.server.config.OcrgateConfig;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ocrgate config}: configuration tools. */
@Command(
    name = "config",
    mixinStandardHelpOptions = true,
    description = "Configuration tools (see docs/configuration.md).",
    subcommands = {ConfigCommand.Check.class})
final class ConfigCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /**
   * {@code ocrgate config check FILE}: validates FILE with the OCRGATE_* environment applied and
   * prints the effective configuration as YAML with secrets masked. Exit 0 when valid, 2 when not.
   */
  @Command(
      name = "check",
      mixinStandardHelpOptions = true,
      description = {
        "Validates FILE (plus OCRGATE_* environment variables) and prints the effective",
        "configuration as YAML, secrets masked. Exit status 0 when valid, 2 when not."
      })
  static final class Check implements Callable<Integer> {
    @CommandLine.Spec CommandLine.Model.CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "YAML config file.")
    Path file;

    @Option(names = "--ignore-env", description = "Check the file alone, without OCRGATE_* variables.")
    boolean ignoreEnv;

    @Option(names = "--skip-files", description = "Do not check that the TLS and key files it names are readable here (a config for another machine, e.g. a pod with mounted secrets).")
    boolean skipFiles;

    @Override
    public Integer call() {
      PrintWriter out = spec.commandLine().getOut();
      PrintWriter err = spec.commandLine().getErr();
      try {
        Map<String, String> env = ignoreEnv ? Map.of() : System.getenv();
        OcrgateConfig config = ConfigLoader.load(file, env);
        if (!skipFiles) {
          ConfigLoader.checkFiles(config);
        }
        out.print(ConfigPrinter.maskedYaml(config));
        out.flush();
        err.println("ocrgate config check: " + file + " is valid");
        return 0;
      } catch (ConfigException e) {
        err.println("ocrgate config check: " + e.getMessage());
        return 2;
      }
    }
  }
}
