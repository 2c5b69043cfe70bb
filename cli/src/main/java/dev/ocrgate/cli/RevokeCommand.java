package dev.ocrgate.cli;

import dev.ocrgate.api.v1.RevokeTokenRequest;
import dev.ocrgate.client.OcrClient;
import io.grpc.StatusRuntimeException;
import java.io.PrintStream;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code ocrgate revoke --jti ID | --subject SUB}: AuthService/RevokeToken with an admin token.
 * Exit status 0 when the server stored the revocation, 1 when it refused, 2 for bad arguments.
 */
@Command(
    name = "revoke",
    mixinStandardHelpOptions = true,
    description = {
      "Revokes one token (--jti) or every token of a subject issued until now (--subject).",
      "The --token needs scope ocr:admin; another tenant than its own needs ocr:admin:all-tenants too."
    })
final class RevokeCommand implements Callable<Integer> {
  @ArgGroup(exclusive = true, multiplicity = "1")
  Target target;

  static final class Target {
    @Option(names = "--jti", paramLabel = "ID", description = "The token id (jti claim; the audit log shows it).")
    String jti;

    @Option(names = "--subject", paramLabel = "SUB", description = "The subject (sub claim).")
    String subject;
  }

  @Option(names = "--tenant", paramLabel = "TENANT",
      description = "Tenant of the tokens (default: the admin token's own; '' = tokens without a tenant).")
  String tenant;

  @Option(names = "--issuer", paramLabel = "ISS",
      description = "Issuer (iss) of the tokens, one of the server's auth.issuers (default: every one).")
  String issuer;

  @Mixin ClientOptions client;

  PrintStream out = System.out;
  PrintStream err = System.err;

  @Override
  public Integer call() {
    RevokeTokenRequest request = request();
    try (OcrClient c = client.build()) {
      c.revokeToken(request);
    } catch (StatusRuntimeException e) {
      err.println("ocrgate revoke: " + client.describe(e));
      return 1;
    }
    out.println("revoked " + (target.jti != null ? "jti " + target.jti : "every token of subject " + target.subject
        + " issued until now") + ", tenant " + (tenant == null ? "of the admin token" : "'" + tenant + "'")
        + ", issuer " + (issuer == null ? "any trusted" : issuer));
    return 0;
  }

  private RevokeTokenRequest request() {
    RevokeTokenRequest.Builder b = RevokeTokenRequest.newBuilder();
    if (target.jti != null) {
      b.setJti(target.jti);
    } else {
      b.setSubject(target.subject);
    }
    if (tenant != null) {
      b.setTenant(tenant);
    }
    if (issuer != null) {
      b.setIssuer(issuer);
    }
    return b.build();
  }
}
