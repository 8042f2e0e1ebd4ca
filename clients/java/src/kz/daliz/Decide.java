package kz.daliz;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Decides declarations (JSON Lines on stdin) with a bundle through libdaliz, as `daliz run` does.
 *
 * <pre>java -cp jna.jar:classes -Djna.library.path=DIR kz.daliz.Decide [--host-key HOST.key]
 *     [--view officer|declarant|audit] BUNDLE [KEY.pub...]</pre>
 *
 * Without keys the development policy accepts unsigned bundles; --host-key opens a sealed bundle. Exits 2 when some declaration
 * could not be evaluated (its error decision is still written), 1 when the bundle is refused.
 */
public final class Decide {
  static boolean blank(byte[] line) {
    for (byte b : line)
      if (b != ' ' && b != '\t' && b != '\r') return false;
    return true;
  }

  public static void main(String[] args) throws Exception {
    String hostKey = null;
    Daliz.View view = Daliz.View.OFFICER;
    int at = 0;
    while (at + 1 < args.length && args[at].startsWith("--")) {
      if (args[at].equals("--host-key")) hostKey = args[at + 1];
      else if (args[at].equals("--view")) view = Daliz.View.valueOf(args[at + 1].toUpperCase(java.util.Locale.ROOT));
      else break;
      at += 2;
    }
    if (at >= args.length || args[at].startsWith("--")) {
      System.err.println("usage: Decide [--host-key HOST.key] [--view officer|declarant|audit] BUNDLE [KEY.pub...]");
      System.exit(1);
    }
    String[] keys = java.util.Arrays.copyOfRange(args, at + 1, args.length);
    int errors = 0;
    try (Daliz.Trust trust = keys.length > 0 ? Daliz.trust(1, keys) : Daliz.developmentTrust();
        Daliz.Engine engine = Daliz.loadFile(args[at], hostKey == null ? trust : trust.hostKey(hostKey));
        Daliz.Session session = engine.session()) {
      session.setView(view);
      // Lines are split on '\n' only and passed as bytes, exactly as `daliz run` reads them.
      byte[] input = System.in.readAllBytes();
      OutputStream out = new java.io.BufferedOutputStream(System.out);
      int begin = 0;
      while (begin < input.length) {
        int end = begin;
        while (end < input.length && input[end] != '\n') end++;
        int stop = end > begin && input[end - 1] == '\r' ? end - 1 : end;
        byte[] line = java.util.Arrays.copyOfRange(input, begin, stop);
        begin = end + 1;
        if (blank(line)) continue;
        String decision;
        try {
          decision = session.decide(line);
        } catch (Daliz.InputException e) {
          decision = e.decision;
          errors++;
        }
        out.write((decision + "\n").getBytes(StandardCharsets.UTF_8));
      }
      out.flush();
    } catch (Daliz.DalizException e) {
      System.err.println("Decide: " + e.getMessage());
      System.exit(1);
    }
    System.exit(errors > 0 ? 2 : 0);
  }
}
