package dev.bindspace.text.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A port of {@code ftfy.fix_text} (ftfy 6.3.1) with its default configuration, the clean-up ImageBind's
 * CLIP tokenizer starts with. The steps and their order follow ftfy; the data they need (mojibake
 * heuristics, code pages, entity tables) is read from {@code ftfy-6.3.1.json}, exported from ftfy
 * itself by {@code tools/text/ftfy_tables.py}.
 *
 * <p>What it does, per line ({@code \n}-terminated segment, at most 1,000,000 code points):
 * <ol>
 *   <li>HTML entities ({@code &amp;}, {@code &eacute;}, {@code &#x2019;}, also all-caps names), unless a
 *       {@code <} has been seen in this or an earlier line;
 *   <li>mojibake: text that is UTF-8 decoded as Latin-1, Windows-125x, ISO-8859-2, MacRoman or CP437 is
 *       re-decoded, when ftfy's badness heuristic says it looks like mojibake and the bytes are valid
 *       UTF-8 (with ftfy's repairs: a space that stood for U+00A0, lost bytes shown as U+FFFD, CESU-8,
 *       Java's modified-UTF-8 NUL); partly-broken text is fixed piece by piece; stray C1 controls are
 *       read as Windows-1252;
 *   <li>Latin ligatures (ﬁ → fi), full-width and half-width forms (Ａ → A, ｶ → カ, U+3000 → space),
 *       curly quotes → straight, every line break → {@code \n}, lone surrogates → U+FFFD, ANSI terminal
 *       escapes removed, control characters removed (except tab, line feed, form feed, carriage return),
 *       then NFC;
 *   <li>repeated until nothing changes.
 * </ol>
 *
 * <p>Instances are immutable and thread-safe; {@link #get()} returns the shared one.
 */
public final class Ftfy {
  private static final String TABLES = "ftfy-6.3.1.json";
  private static final int MAX_DECODE_LENGTH = 1_000_000;
  /** fix_text's loop always converges on real input; this only bounds adversarial input. */
  private static final int MAX_ROUNDS = 32;

  private static final class Holder {
    static final Ftfy INSTANCE = load();
  }

  private final List<Charmap> charmaps = new ArrayList<>();
  private final Charmap latin1;
  private final char[] sloppy1252;
  private final BitSet strict1252Undefined = new BitSet(256);
  private final CodedPattern badness;
  private final CodedPattern utf8Detector;
  private final Pattern htmlEntity;
  private final Pattern ansi;
  private final Pattern alteredUtf8;
  private final Pattern lossyUtf8;
  private final Pattern aGraveWord;
  private final BitSet controlChars = new BitSet();
  private final Map<Integer, String> ligatures = new HashMap<>();
  private final Map<Integer, String> widthMap = new HashMap<>();
  /** Keys of {@link #ligatures} and {@link #widthMap}: one bit test per character before a map lookup. */
  private final BitSet ligatureKeys = new BitSet(0x10000);
  private final BitSet widthKeys = new BitSet(0x10000);
  private final Map<String, String> ftfyEntities;
  private final PyHtml html;

  /** A single-byte code page: its 256 characters and the characters it can encode. */
  private static final class Charmap {
    final String name;
    final char[] decode;
    final Map<Character, Integer> encode = new HashMap<>();
    final BitSet possible = new BitSet(0x10000);

    Charmap(String name, String table) {
      this.name = name;
      this.decode = table.toCharArray();
      if (decode.length != 256) {
        throw new IllegalStateException("code page " + name + " has " + decode.length + " entries, expected 256");
      }
      for (int b = 0; b < 256; b++) {
        encode.put(decode[b], b);
      }
      // ftfy's possible_encoding: ASCII except 0x1A, plus what 0x80..0xFF and 0x1A decode to
      possible.set(0x00, 0x1A);
      possible.set(0x1B, 0x80);
      for (int b = 0x80; b < 0x100; b++) {
        possible.set(decode[b]);
      }
      possible.set(decode[0x1A]);
    }

    boolean canEncode(String s) {
      for (int i = 0; i < s.length(); i++) {
        if (!possible.get(s.charAt(i))) {
          return false;
        }
      }
      return true;
    }

    byte[] encodeAll(String s) {
      byte[] out = new byte[s.length()];
      for (int i = 0; i < s.length(); i++) {
        out[i] = (byte) (int) encode.get(s.charAt(i));
      }
      return out;
    }
  }

  @SuppressWarnings("unchecked")
  private Ftfy(Map<String, Object> t) {
    Map<String, Object> maps = (Map<String, Object>) t.get("charmaps");
    for (Object name : (List<Object>) t.get("charmap_encodings")) {
      charmaps.add(new Charmap((String) name, (String) maps.get(name)));
    }
    latin1 = find("latin-1");
    sloppy1252 = find("sloppy-windows-1252").decode;
    for (Object b : (List<Object>) t.get("windows_1252_strict_undefined")) {
      strict1252Undefined.set(((Long) b).intValue());
    }
    badness = new CodedPattern((String) t.get("badness_re"), (Boolean) t.get("badness_re_verbose"));
    utf8Detector = new CodedPattern((String) t.get("utf8_detector_re"), (Boolean) t.get("utf8_detector_re_verbose"));
    htmlEntity = PyRegex.compile((String) t.get("html_entity_re"), false);
    ansi = PyRegex.compile((String) t.get("ansi_re"), false);
    alteredUtf8 = PyRegex.compile((String) t.get("altered_utf8_re"), false);
    lossyUtf8 = PyRegex.compile((String) t.get("lossy_utf8_re"), false);
    aGraveWord = PyRegex.compile((String) t.get("a_grave_word_re"), false);
    checkFixedPattern((String) t.get("c1_control_re"), "[\\x80-\\x9f]");
    checkFixedPattern((String) t.get("single_quote_re"), "[\u02bc\u2018-\u201b]");
    checkFixedPattern((String) t.get("double_quote_re"), "[\u201c-\u201f]");
    for (Object c : (List<Object>) t.get("control_chars")) {
      controlChars.set(((Long) c).intValue());
    }
    ((Map<String, Object>) t.get("ligatures")).forEach((k, v) -> ligatures.put(k.codePointAt(0), (String) v));
    ((Map<String, Object>) t.get("width_map")).forEach((k, v) -> widthMap.put(k.codePointAt(0), (String) v));
    for (Map<Integer, String> m : List.of(ligatures, widthMap)) {
      if (m.keySet().stream().anyMatch(k -> k < 0x100 || k > 0xFFFF)) {
        throw new IllegalStateException("translate table with a key outside U+0100..U+FFFF in " + TABLES);
      }
    }
    ligatures.keySet().forEach(ligatureKeys::set);
    widthMap.keySet().forEach(widthKeys::set);
    ftfyEntities = new HashMap<>();
    ((Map<String, Object>) t.get("ftfy_html_entities")).forEach((k, v) -> ftfyEntities.put(k, (String) v));
    Map<String, String> html5 = new HashMap<>();
    ((Map<String, Object>) t.get("html5_entities")).forEach((k, v) -> html5.put(k, (String) v));
    Map<Integer, String> invalidCharrefs = new HashMap<>();
    ((Map<String, Object>) t.get("html_invalid_charrefs")).forEach((k, v) -> invalidCharrefs.put(Integer.parseInt(k), (String) v));
    Set<Integer> invalidCodepoints = new HashSet<>();
    for (Object c : (List<Object>) t.get("html_invalid_codepoints")) {
      invalidCodepoints.add(((Long) c).intValue());
    }
    html = new PyHtml(html5, invalidCharrefs, invalidCodepoints);
  }

  /** The shared instance (tables and automata are built on first use: ~0.1 s warm, ~0.3 s in a cold JVM). */
  public static Ftfy get() {
    return Holder.INSTANCE;
  }

  @SuppressWarnings("unchecked")
  private static Ftfy load() {
    try (InputStream in = Ftfy.class.getResourceAsStream(TABLES)) {
      if (in == null) {
        throw new IllegalStateException("resource " + TABLES + " missing from the classpath");
      }
      return new Ftfy((Map<String, Object>) Json.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8)));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + TABLES, e);
    }
  }

  private Charmap find(String name) {
    for (Charmap c : charmaps) {
      if (c.name.equals(name)) {
        return c;
      }
    }
    throw new IllegalStateException("code page " + name + " missing from " + TABLES);
  }

  private static void checkFixedPattern(String actual, String expected) {
    // patterns implemented as character tests below; fail loudly if a regenerated table changes them
    if (!PyRegex.translate(actual, false).equals(PyRegex.translate(expected, false))) {
      throw new IllegalStateException("unexpected pattern " + actual + " in " + TABLES + ", expected " + expected);
    }
  }

  /** Python's {@code html.unescape}. */
  public String htmlUnescape(String s) {
    return html.unescape(s);
  }

  /** {@code ftfy.fix_text(text)} with the default configuration. */
  public String fixText(String text) {
    return fixText(text, true, null);
  }

  /**
   * {@code ftfy.fix_text} on a part of a longer text that starts at a line boundary. ftfy works line
   * by line and carries only one thing from line to line, whether HTML entities are still decoded
   * ("auto" mode turns them off for good at the first line holding a '<'): pass that state in, and
   * receive the state after this part in {@code stateAfter[0]} (when not null).
   */
  public String fixText(String text, boolean unescapeHtml, boolean[] stateAfter) {
    if (stateAfter != null) {
      stateAfter[0] = unescapeHtml && text.indexOf('<') < 0;
    }
    StringBuilder out = null;
    int pos = 0;
    int n = text.length();
    while (pos < n) {
      int nl = text.indexOf('\n', pos);
      int textbreak = nl < 0 ? n : nl + 1;
      if (textbreak - pos > MAX_DECODE_LENGTH && text.codePointCount(pos, textbreak) > MAX_DECODE_LENGTH) {
        textbreak = text.offsetByCodePoints(pos, MAX_DECODE_LENGTH);
      }
      if (pos == 0 && textbreak == n) {
        return fixSegment(text, unescapeHtml && text.indexOf('<') < 0);
      }
      String segment = text.substring(pos, textbreak);
      if (unescapeHtml && segment.indexOf('<') >= 0) {
        unescapeHtml = false;
      }
      if (out == null) {
        out = new StringBuilder(n + 16);
      }
      out.append(fixSegment(segment, unescapeHtml));
      pos = textbreak;
    }
    return out == null ? text : out.toString();
  }

  /** {@code ftfy.fix_and_explain(segment)}: all fixes, repeated until the text stops changing. */
  String fixSegment(String text, boolean unescapeHtml) {
    for (int round = 0; round < MAX_ROUNDS; round++) {
      String orig = text;
      if (unescapeHtml) {
        text = unescapeHtml(text);
      }
      text = fixEncoding(text);
      text = fixC1Controls(text);
      text = translate(text, ligatures, ligatureKeys);
      text = translate(text, widthMap, widthKeys);
      text = uncurlQuotes(text);
      text = fixLineBreaks(text);
      text = fixSurrogates(text);
      if (text.indexOf('\u001b') >= 0) {
        text = ansi.matcher(text).replaceAll("");
      }
      text = removeControlChars(text);
      if (!Normalizer.isNormalized(text, Normalizer.Form.NFC)) {
        text = Normalizer.normalize(text, Normalizer.Form.NFC);
      }
      if (text.equals(orig)) {
        return text;
      }
    }
    return text;
  }

  /** ftfy's {@code unescape_html}: {@code &#?[0-9A-Za-z]{1,24};} through its own entity table. */
  String unescapeHtml(String text) {
    if (text.indexOf('&') < 0) {
      return text;
    }
    Matcher m = htmlEntity.matcher(text);
    StringBuilder sb = null;
    int last = 0;
    while (m.find()) {
      String entity = m.group();
      String fixed = ftfyEntities.get(entity);
      if (fixed == null && entity.startsWith("&#")) {
        String unescaped = html.unescape(entity);
        fixed = unescaped.indexOf(';') >= 0 ? entity : unescaped;
      }
      if (fixed == null || fixed.equals(entity)) {
        continue;
      }
      if (sb == null) {
        sb = new StringBuilder(text.length());
      }
      sb.append(text, last, m.start()).append(fixed);
      last = m.end();
    }
    return sb == null ? text : sb.append(text, last, text.length()).toString();
  }

  /** {@code ftfy.fix_encoding}: one-step fixes until the text stops changing. */
  public String fixEncoding(String text) {
    for (int round = 0; round < MAX_ROUNDS; round++) {
      String fixed = fixEncodingOneStep(text);
      if (fixed.equals(text)) {
        return fixed;
      }
      text = fixed;
    }
    return text;
  }

  /** ftfy's badness heuristic: does the text look like it contains mojibake? */
  public boolean isBad(String text) {
    return badness.find(text);
  }

  private String fixEncodingOneStep(String text) {
    if (text.isEmpty() || isAscii(text) || !isBad(text)) {
      return text;
    }
    boolean latin1Possible = false;
    for (Charmap cm : charmaps) {
      if (!cm.canEncode(text)) {
        continue;
      }
      if (cm == latin1) {
        latin1Possible = true;
      }
      byte[] bytes = cm.encodeAll(text);
      if (!cm.name.equals("macroman") && find(alteredUtf8, bytes)) {
        bytes = restoreByteA0(bytes);
      }
      if (cm.name.startsWith("sloppy")) {
        bytes = latin1Bytes(lossyUtf8.matcher(latin1String(bytes)).replaceAll("\u00ef\u00bf\u00bd"));
      }
      boolean variants = false;
      for (byte b : bytes) {
        if (b == (byte) 0xED || b == (byte) 0xC0) {
          variants = true;
          break;
        }
      }
      String decoded = Utf8.decodeStrict(bytes, variants);
      if (decoded != null) {
        return decoded;
      }
    }
    if (utf8Detector.find(text)) {
      String fixed = decodeInconsistentUtf8(text);
      if (!fixed.equals(text)) {
        return fixed;
      }
    }
    if (latin1Possible) {
      // ftfy lists only the sloppy Windows-1252, so this is always its "Latin-1 meant as strict
      // Windows-1252" branch; undefined bytes make the strict decode fail.
      StringBuilder sb = new StringBuilder(text.length());
      boolean ok = true;
      for (int i = 0; i < text.length(); i++) {
        char c = text.charAt(i);
        if (strict1252Undefined.get(c)) {
          ok = false;
          break;
        }
        sb.append(sloppy1252[c]);
      }
      if (ok) {
        String fixed = sb.toString();
        if (!fixed.equals(text)) {
          return fixed;
        }
      }
    }
    if (hasC1(text)) {
      return fixC1Controls(text);
    }
    return text;
  }

  private String decodeInconsistentUtf8(String text) {
    StringBuilder sb = new StringBuilder(text.length());
    int last = 0;
    for (int[] m : utf8Detector.findAll(text)) {
      String sub = text.substring(m[0], m[1]);
      if (sub.length() < text.length() && isBad(sub)) {
        sb.append(text, last, m[0]).append(fixEncoding(sub));
        last = m[1];
      }
    }
    return sb.append(text, last, text.length()).toString();
  }

  /** Distinct character codes of the two big patterns (each below 256 keeps matching table-driven). */
  int[] patternCodeCounts() {
    return new int[] {badness.codeCount(), utf8Detector.codeCount()};
  }

  /** Whether the badness heuristic runs as an automaton. */
  boolean badnessIsAutomaton() {
    return badness.hasAutomaton();
  }

  /** ftfy's {@code restore_byte_a0}: a space inside what would be UTF-8 was once byte A0. */
  private byte[] restoreByteA0(byte[] bytes) {
    String s = aGraveWord.matcher(latin1String(bytes)).replaceAll("\u00c3\u00a0 ");
    Matcher m = alteredUtf8.matcher(s);
    StringBuilder sb = new StringBuilder(s.length());
    int last = 0;
    while (m.find()) {
      sb.append(s, last, m.start()).append(m.group().replace(' ', '\u00a0'));
      last = m.end();
    }
    sb.append(s, last, s.length());
    return latin1Bytes(sb.toString());
  }

  private static boolean find(Pattern p, byte[] bytes) {
    return p.matcher(latin1String(bytes)).find();
  }

  private static String latin1String(byte[] b) {
    return new String(b, StandardCharsets.ISO_8859_1);
  }

  private static byte[] latin1Bytes(String s) {
    return s.getBytes(StandardCharsets.ISO_8859_1);
  }

  private static boolean isAscii(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (s.charAt(i) > 0x7F) {
        return false;
      }
    }
    return true;
  }

  private static boolean hasC1(String s) {
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c >= 0x80 && c <= 0x9F) {
        return true;
      }
    }
    return false;
  }

  /** ftfy's {@code fix_c1_controls}: C1 controls read as sloppy Windows-1252. */
  private String fixC1Controls(String s) {
    if (!hasC1(s)) {
      return s;
    }
    char[] c = s.toCharArray();
    for (int i = 0; i < c.length; i++) {
      if (c[i] >= 0x80 && c[i] <= 0x9F) {
        c[i] = sloppy1252[c[i]];
      }
    }
    return new String(c);
  }

  private static String translate(String s, Map<Integer, String> map, BitSet keys) {
    StringBuilder sb = null;
    for (int i = 0; i < s.length(); ) {
      int cp = s.codePointAt(i);
      int len = Character.charCount(cp);
      String r = cp < 0x100 || cp > 0xFFFF || !keys.get(cp) ? null : map.get(cp); // keys: U+0100..U+FFFF
      if (r != null) {
        if (sb == null) {
          sb = new StringBuilder(s.length() + 8).append(s, 0, i);
        }
        sb.append(r);
      } else if (sb != null) {
        sb.append(s, i, i + len);
      }
      i += len;
    }
    return sb == null ? s : sb.toString();
  }

  private static String uncurlQuotes(String s) {
    char[] c = null;
    for (int i = 0; i < s.length(); i++) {
      char ch = s.charAt(i);
      char r = ch == '\u02bc' || (ch >= '\u2018' && ch <= '\u201b') ? '\''
          : ch >= '\u201c' && ch <= '\u201f' ? '"' : 0;
      if (r != 0) {
        if (c == null) {
          c = s.toCharArray();
        }
        c[i] = r;
      }
    }
    return c == null ? s : new String(c);
  }

  private static String fixLineBreaks(String s) {
    boolean any = false;
    for (int i = 0; i < s.length() && !any; i++) {
      char c = s.charAt(i);
      any = c == '\r' || c == '\u2028' || c == '\u2029' || c == '\u0085';
    }
    if (!any) {
      return s;
    }
    StringBuilder sb = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '\r') {
        sb.append('\n');
        if (i + 1 < s.length() && s.charAt(i + 1) == '\n') {
          i++;
        }
      } else if (c == '\u2028' || c == '\u2029' || c == '\u0085') {
        sb.append('\n');
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }

  /** Lone surrogates become U+FFFD (paired ones already form one code point in Java). */
  public static String fixSurrogates(String s) {
    char[] c = null;
    for (int i = 0; i < s.length(); i++) {
      char ch = s.charAt(i);
      if (Character.isHighSurrogate(ch) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(ch)) {
        if (c == null) {
          c = s.toCharArray();
        }
        c[i] = '\uFFFD';
      }
    }
    return c == null ? s : new String(c);
  }

  private String removeControlChars(String s) {
    StringBuilder sb = null;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (controlChars.get(c)) {
        if (sb == null) {
          sb = new StringBuilder(s.length()).append(s, 0, i);
        }
      } else if (sb != null) {
        sb.append(c);
      }
    }
    return sb == null ? s : sb.toString();
  }
}
