package dev.ocrgate.client;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;

/** Reads an unencrypted PKCS#8 PEM private key ({@code BEGIN PRIVATE KEY}): EC, RSA or Ed25519. */
final class PemKeys {
  private static final String BEGIN = "-----BEGIN PRIVATE KEY-----";
  private static final String END = "-----END PRIVATE KEY-----";

  private PemKeys() {}

  static PrivateKey privateKey(Path pem) throws IOException {
    String text = Files.readString(pem, StandardCharsets.US_ASCII);
    int from = text.indexOf(BEGIN);
    int to = text.indexOf(END);
    if (from < 0 || to < from) {
      throw new IOException(pem + ": not a PKCS#8 PEM private key (expected '" + BEGIN + "')");
    }
    byte[] der;
    try {
      der = Base64.getMimeDecoder().decode(text.substring(from + BEGIN.length(), to));
    } catch (IllegalArgumentException e) {
      throw new IOException(pem + ": the PEM body is not valid base64");
    }
    for (String algorithm : new String[] {"EC", "RSA", "Ed25519"}) {
      try {
        return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
      } catch (GeneralSecurityException e) {
        // try the next algorithm
      }
    }
    throw new IOException(pem + ": not an EC, RSA or Ed25519 PKCS#8 private key");
  }
}
