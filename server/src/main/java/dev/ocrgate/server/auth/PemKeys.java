package dev.ocrgate.server.auth;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.cert.CertificateFactory;
import java.security.spec.X509EncodedKeySpec;

/** Reads PEM public keys: an SPKI {@code PUBLIC KEY} block (RSA, EC or Ed25519) or a certificate. */
final class PemKeys {
  private PemKeys() {}

  static PublicKey read(Path file) throws IOException {
    String text = Files.readString(file);
    if (text.contains("-----BEGIN CERTIFICATE-----")) {
      byte[] der = SigningKeys.pemBody(text, "CERTIFICATE");
      try {
        return CertificateFactory.getInstance("X.509")
            .generateCertificate(new ByteArrayInputStream(der)).getPublicKey();
      } catch (GeneralSecurityException e) {
        throw new IOException(file + ": not an X.509 certificate", e);
      }
    }
    byte[] der = SigningKeys.pemBody(text, "PUBLIC KEY");
    for (String type : new String[] {"RSA", "EC", "Ed25519"}) {
      try {
        return KeyFactory.getInstance(type).generatePublic(new X509EncodedKeySpec(der));
      } catch (GeneralSecurityException e) {
        // try the next key type
      }
    }
    throw new IOException(file + ": not an RSA, EC or Ed25519 public key");
  }
}
