package kz.daliz;

import com.sun.jna.Library;
import com.sun.jna.Native;
import com.sun.jna.Pointer;
import com.sun.jna.ptr.ByReference;
import com.sun.jna.ptr.PointerByReference;
import java.nio.charset.StandardCharsets;

/**
 * daliz from Java: the engine's C ABI (include/daliz/daliz_c.h) over JNA.
 *
 * <pre>
 * try (Daliz.Trust trust = Daliz.trust(1, "head.pub");
 *      Daliz.Engine engine = Daliz.loadFile("approved.bundle", trust);
 *      Daliz.Session session = engine.session()) {      // one per thread
 *   String decision = session.decide(declarationJson);
 * }
 * </pre>
 *
 * Every failure throws {@link DalizException} with the library's status name and message; a
 * declaration that cannot be evaluated throws {@link InputException}, which carries the error
 * decision.
 */
public final class Daliz {
  public static final int ABI_VERSION = 1;
  private static final int OK = 0;
  private static final int INPUT = 5;

  /** size_t by reference. */
  public static final class SizeTByReference extends ByReference {
    public SizeTByReference() {
      super(Native.SIZE_T_SIZE);
    }

    public long value() {
      return Native.SIZE_T_SIZE == 8 ? getPointer().getLong(0) : getPointer().getInt(0);
    }
  }

  /** The C functions, as the header declares them. */
  public interface Lib extends Library {
    String daliz_version();

    int daliz_abi_version();

    String daliz_last_error();

    String daliz_status_name(int status);

    int daliz_trust_new(long required, PointerByReference out);

    int daliz_trust_new_development(PointerByReference out);

    int daliz_trust_add_key_hex(Pointer trust, String hex);

    int daliz_trust_add_key_file(Pointer trust, String path);

    int daliz_trust_set_host_key_file(Pointer trust, String path);

    void daliz_trust_free(Pointer trust);

    int daliz_engine_load_file(String path, Pointer trust, PointerByReference out);

    int daliz_engine_load_bytes(byte[] bytes, long length, Pointer trust, PointerByReference out);

    void daliz_engine_free(Pointer engine);

    int daliz_engine_info(Pointer engine, PointerByReference json, SizeTByReference length);

    int daliz_session_new(Pointer engine, PointerByReference out);

    void daliz_session_free(Pointer session);

    int daliz_session_set_view(Pointer session, int view);

    int daliz_decide(Pointer session, byte[] json, long length, PointerByReference out, SizeTByReference outLength);

    int daliz_categorize(Pointer session, byte[] json, long length, PointerByReference out, SizeTByReference outLength);
  }

  /** Loaded from jna.library.path, else the system's libdaliz.so.0. */
  static final Lib LIB = Native.load("daliz", Lib.class);

  static {
    if (LIB.daliz_abi_version() != ABI_VERSION)
      throw new IllegalStateException("libdaliz has ABI " + LIB.daliz_abi_version() + ", this client speaks " + ABI_VERSION);
  }

  private Daliz() {}

  public static class DalizException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    public final int status;

    DalizException(int status, String message) {
      super(LIB.daliz_status_name(status) + ": " + message);
      this.status = status;
    }
  }

  public static final class InputException extends DalizException {
    private static final long serialVersionUID = 1L;
    public final String decision;

    InputException(int status, String message, String decision) {
      super(status, message);
      this.decision = decision;
    }
  }

  static void check(int status) {
    if (status != OK) throw new DalizException(status, LIB.daliz_last_error());
  }

  static String text(PointerByReference out, SizeTByReference n) {
    return new String(out.getValue().getByteArray(0, (int) n.value()), StandardCharsets.UTF_8);
  }

  public static String version() {
    return LIB.daliz_version();
  }

  /** A policy requiring {@code required} signatures by these keys (.pub files). */
  public static Trust trust(long required, String... keyFiles) {
    PointerByReference out = new PointerByReference();
    check(LIB.daliz_trust_new(required, out));
    Trust t = new Trust(out.getValue());
    for (String k : keyFiles) check(LIB.daliz_trust_add_key_file(t.handle, k));
    return t;
  }

  /** Accepts unsigned bundles (development only). */
  public static Trust developmentTrust() {
    PointerByReference out = new PointerByReference();
    check(LIB.daliz_trust_new_development(out));
    return new Trust(out.getValue());
  }

  public static Engine loadFile(String path, Trust trust) {
    PointerByReference out = new PointerByReference();
    check(LIB.daliz_engine_load_file(path, trust.handle, out));
    return new Engine(out.getValue());
  }

  public static final class Trust implements AutoCloseable {
    final Pointer handle;

    Trust(Pointer handle) {
      this.handle = handle;
    }

    /** This host's secret key file ({@code daliz keygen --kind host}): opens sealed bundles. */
    public Trust hostKey(String path) {
      check(LIB.daliz_trust_set_host_key_file(handle, path));
      return this;
    }

    @Override
    public void close() {
      LIB.daliz_trust_free(handle);
    }
  }

  public static final class Engine implements AutoCloseable {
    final Pointer handle;

    Engine(Pointer handle) {
      this.handle = handle;
    }

    /** The bundle as JSON: hash, profiles, signers, approval. */
    public String info() {
      PointerByReference out = new PointerByReference();
      SizeTByReference n = new SizeTByReference();
      check(LIB.daliz_engine_info(handle, out, n));
      return text(out, n);
    }

    public Session session() {
      PointerByReference out = new PointerByReference();
      check(LIB.daliz_session_new(handle, out));
      return new Session(out.getValue());
    }

    @Override
    public void close() {
      LIB.daliz_engine_free(handle);
    }
  }

  /** Whom decisions are for (docs/language.md, "Views of a decision"), in the C ABI's order. */
  public enum View {
    OFFICER,
    DECLARANT,
    AUDIT
  }

  /** One thread's evaluator. */
  public static final class Session implements AutoCloseable {
    final Pointer handle;

    Session(Pointer handle) {
      this.handle = handle;
    }

    /** The view of the decision lines this session returns (default OFFICER). */
    public void setView(View view) {
      check(LIB.daliz_session_set_view(handle, view.ordinal()));
    }

    /** The decision line for one declaration (one JSON object). */
    public String decide(String declarationJson) {
      return decide(declarationJson.getBytes(StandardCharsets.UTF_8));
    }

    /** The same, for the declaration's bytes as received (UTF-8 expected, checked by daliz). */
    public String decide(byte[] in) {
      return answer(LIB::daliz_decide, in);
    }

    /** The category line for one participant. */
    public String categorize(String participantJson) {
      return answer(LIB::daliz_categorize, participantJson.getBytes(StandardCharsets.UTF_8));
    }

    /** daliz_decide and daliz_categorize: JSON in, a line out, owned by the session. */
    private interface Call {
      int call(Pointer session, byte[] json, long length, PointerByReference out, SizeTByReference outLength);
    }

    private String answer(Call fn, byte[] in) {
      PointerByReference out = new PointerByReference();
      SizeTByReference n = new SizeTByReference();
      int status = fn.call(handle, in, in.length, out, n);
      if (status == INPUT) throw new InputException(status, LIB.daliz_last_error(), text(out, n));
      check(status);
      return text(out, n);
    }

    @Override
    public void close() {
      LIB.daliz_session_free(handle);
    }
  }
}
