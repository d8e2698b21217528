package dev.bindspace.text.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A deterministic automaton answering "does the pattern match anywhere in the text?" in one table
 * lookup per character, for {@link CodedPattern}s without lookaround (ftfy's badness heuristic: ~45
 * alternatives that {@link java.util.regex.Pattern} would try one by one at every position).
 *
 * <p>Built from the pattern's tokens (atoms over code classes, groups, alternation, quantifiers,
 * {@code ^} as "at the start of the text") by Thompson construction and subset construction over the
 * codes; the start state is re-entered at every position, so acceptance anywhere is a match.
 */
final class SearchDfa {
  private static final int MAX_STATES = 20_000;

  private final int[][] next;
  private final boolean[] accept;
  private final int start;

  private SearchDfa(int[][] next, boolean[] accept, int start) {
    this.next = next;
    this.accept = accept;
    this.start = start;
  }

  /** True if some substring of the coded text matches. */
  boolean find(char[] codes, int n) {
    int s = start;
    if (accept[s]) {
      return true;
    }
    for (int i = 0; i < n; i++) {
      s = next[s][codes[i]];
      if (accept[s]) {
        return true;
      }
    }
    return false;
  }

  int states() {
    return next.length;
  }

  // ---- construction ------------------------------------------------------------------------------

  /** NFA edges: kind ATOM (on the atom's codes), EPS, or CARET (epsilon only at the text start). */
  private static final int EPS = -1;
  private static final int CARET = -2;

  private static final class Nfa {
    final List<int[]> edges = new ArrayList<>(); // {from, label, to}
    int states;

    int state() {
      return states++;
    }

    void edge(int from, int label, int to) {
      edges.add(new int[] {from, label, to});
    }
  }

  /** [start, end] of a fragment. */
  private interface Node {
    int[] build(Nfa nfa);
  }

  /**
   * The automaton for {@code tokens} (Strings: syntax; Integers: atom indexes), whose atoms match
   * the codes in {@code atomCodes}; null when the pattern has lookaround or gets too large.
   */
  static SearchDfa build(List<Object> tokens, List<BitSet> atomCodes, int codeCount) {
    for (Object t : tokens) {
      if (t instanceof String && ((String) t).startsWith("(?") && !t.equals("(?:")) {
        return null;
      }
    }
    int[] pos = {0};
    Node root = alternation(tokens, pos);
    if (pos[0] != tokens.size()) {
      throw new IllegalArgumentException("unbalanced pattern at token " + pos[0]);
    }
    Nfa nfa = new Nfa();
    int[] frag = root.build(nfa);
    int n = nfa.states;
    List<List<int[]>> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(new ArrayList<>());
    }
    for (int[] e : nfa.edges) {
      out.get(e[0]).add(e);
    }
    int symbols = codeCount + 1; // codes are 1..codeCount
    // epsilon closure of every single NFA state, without and with the start-of-text assertion
    BitSet[] eps = new BitSet[n];
    for (int i = 0; i < n; i++) {
      eps[i] = closure(seed(i), out, false);
    }

    Map<BitSet, Integer> ids = new HashMap<>();
    List<BitSet> sets = new ArrayList<>();
    List<int[]> table = new ArrayList<>();
    List<Boolean> accepting = new ArrayList<>();
    BitSet restart = eps[frag[0]];
    BitSet first = closure(seed(frag[0]), out, true);
    ArrayDeque<Integer> work = new ArrayDeque<>();
    int startId = intern(first, ids, sets, accepting, frag[1], work);
    BitSet[] moved = new BitSet[symbols];
    while (!work.isEmpty()) {
      int id = work.poll();
      BitSet set = sets.get(id);
      for (int code = 1; code < symbols; code++) {
        moved[code] = null;
      }
      // distribute every atom edge leaving the set to the codes it accepts
      for (int s = set.nextSetBit(0); s >= 0; s = set.nextSetBit(s + 1)) {
        for (int[] e : out.get(s)) {
          if (e[1] < 0) {
            continue;
          }
          BitSet codes = atomCodes.get(e[1]);
          for (int code = codes.nextSetBit(0); code >= 0; code = codes.nextSetBit(code + 1)) {
            if (moved[code] == null) {
              moved[code] = new BitSet(n);
            }
            moved[code].set(e[2]);
          }
        }
      }
      int[] row = new int[symbols];
      Map<BitSet, Integer> seen = new HashMap<>();
      for (int code = 1; code < symbols; code++) {
        BitSet m = moved[code] == null ? new BitSet() : moved[code];
        Integer target = seen.get(m);
        if (target == null) {
          BitSet closed = (BitSet) restart.clone();
          for (int s = m.nextSetBit(0); s >= 0; s = m.nextSetBit(s + 1)) {
            closed.or(eps[s]);
          }
          target = intern(closed, ids, sets, accepting, frag[1], work);
          seen.put(m, target);
        }
        row[code] = target;
      }
      if (sets.size() > MAX_STATES) {
        return null;
      }
      row[0] = row[1]; // code 0 never occurs
      while (table.size() <= id) {
        table.add(null);
      }
      table.set(id, row);
    }
    boolean[] acc = new boolean[accepting.size()];
    for (int i = 0; i < acc.length; i++) {
      acc[i] = accepting.get(i);
    }
    return new SearchDfa(table.toArray(new int[0][]), acc, startId);
  }

  private static BitSet seed(int s) {
    BitSet b = new BitSet();
    b.set(s);
    return b;
  }

  private static BitSet closure(BitSet states, List<List<int[]>> out, boolean atStart) {
    BitSet c = (BitSet) states.clone();
    ArrayDeque<Integer> stack = new ArrayDeque<>();
    for (int s = c.nextSetBit(0); s >= 0; s = c.nextSetBit(s + 1)) {
      stack.push(s);
    }
    while (!stack.isEmpty()) {
      int s = stack.pop();
      for (int[] e : out.get(s)) {
        if ((e[1] == EPS || (e[1] == CARET && atStart)) && !c.get(e[2])) {
          c.set(e[2]);
          stack.push(e[2]);
        }
      }
    }
    return c;
  }

  private static int intern(BitSet set, Map<BitSet, Integer> ids, List<BitSet> sets, List<Boolean> accepting,
      int finalState, ArrayDeque<Integer> work) {
    Integer id = ids.get(set);
    if (id == null) {
      id = sets.size();
      ids.put(set, id);
      sets.add(set);
      accepting.add(set.get(finalState));
      work.add(id);
    }
    return id;
  }

  // ---- parsing the token list into nodes ----------------------------------------------------------

  private static Node alternation(List<Object> t, int[] pos) {
    List<Node> alts = new ArrayList<>();
    alts.add(concatenation(t, pos));
    while (pos[0] < t.size() && "|".equals(t.get(pos[0]))) {
      pos[0]++;
      alts.add(concatenation(t, pos));
    }
    if (alts.size() == 1) {
      return alts.get(0);
    }
    return nfa -> {
      int s = nfa.state();
      int e = nfa.state();
      for (Node a : alts) {
        int[] f = a.build(nfa);
        nfa.edge(s, EPS, f[0]);
        nfa.edge(f[1], EPS, e);
      }
      return new int[] {s, e};
    };
  }

  private static Node concatenation(List<Object> t, int[] pos) {
    List<Node> parts = new ArrayList<>();
    while (pos[0] < t.size() && !"|".equals(t.get(pos[0])) && !")".equals(t.get(pos[0]))) {
      parts.add(repeat(t, pos));
    }
    return nfa -> {
      int s = nfa.state();
      int cur = s;
      for (Node p : parts) {
        int[] f = p.build(nfa);
        nfa.edge(cur, EPS, f[0]);
        cur = f[1];
      }
      return new int[] {s, cur};
    };
  }

  private static Node repeat(List<Object> t, int[] pos) {
    Node base = primary(t, pos);
    while (pos[0] < t.size() && t.get(pos[0]) instanceof String) {
      String q = (String) t.get(pos[0]);
      int min;
      int max;
      if (q.equals("?")) {
        min = 0;
        max = 1;
      } else if (q.equals("*")) {
        min = 0;
        max = -1;
      } else if (q.equals("+")) {
        min = 1;
        max = -1;
      } else if (q.startsWith("{")) {
        String body = q.substring(1, q.length() - 1);
        int comma = body.indexOf(',');
        min = Integer.parseInt(comma < 0 ? body : body.substring(0, comma));
        max = comma < 0 ? min : comma == body.length() - 1 ? -1 : Integer.parseInt(body.substring(comma + 1));
      } else {
        break;
      }
      pos[0]++;
      base = repeated(base, min, max);
    }
    return base;
  }

  private static Node repeated(Node node, int min, int max) {
    return nfa -> {
      int s = nfa.state();
      int cur = s;
      for (int i = 0; i < min; i++) {
        int[] f = node.build(nfa);
        nfa.edge(cur, EPS, f[0]);
        cur = f[1];
      }
      if (max < 0) {
        int[] f = node.build(nfa);
        int loop = nfa.state();
        nfa.edge(cur, EPS, loop);
        nfa.edge(loop, EPS, f[0]);
        nfa.edge(f[1], EPS, loop);
        cur = loop;
      } else {
        int end = nfa.state();
        for (int i = min; i < max; i++) {
          int[] f = node.build(nfa);
          nfa.edge(cur, EPS, end);
          nfa.edge(cur, EPS, f[0]);
          cur = f[1];
        }
        nfa.edge(cur, EPS, end);
        cur = end;
      }
      return new int[] {s, cur};
    };
  }

  private static Node primary(List<Object> t, int[] pos) {
    Object tok = t.get(pos[0]++);
    if (tok instanceof Integer) {
      int atom = (Integer) tok;
      return nfa -> {
        int s = nfa.state();
        int e = nfa.state();
        nfa.edge(s, atom, e);
        return new int[] {s, e};
      };
    }
    String s = (String) tok;
    if (s.equals("^")) {
      return nfa -> {
        int a = nfa.state();
        int b = nfa.state();
        nfa.edge(a, CARET, b);
        return new int[] {a, b};
      };
    }
    if (s.equals("(") || s.equals("(?:")) {
      Node inner = alternation(t, pos);
      if (pos[0] >= t.size() || !")".equals(t.get(pos[0]))) {
        throw new IllegalArgumentException("missing ')'");
      }
      pos[0]++;
      return inner;
    }
    throw new IllegalArgumentException("unexpected token '" + s + "'");
  }
}
