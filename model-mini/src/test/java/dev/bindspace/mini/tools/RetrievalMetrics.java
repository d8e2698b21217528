package dev.bindspace.mini.tools;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The held-out metrics of tools/mini-train/EVAL_FORMAT.md, on plain unit vectors (cosine = dot):
 * X→text top-k accuracy with chance and a label-prior baseline, and A→B recall@k with its exact
 * chance level. Pure functions, no model.
 */
final class RetrievalMetrics {
  private RetrievalMetrics() {}

  /** One figure with what it should be compared against. */
  record Figure(String task, String group, int queries, int k, double value, double chance, double prior) {}

  static double dot(float[] a, float[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += (double) a[i] * b[i];
    }
    return s;
  }

  /** Rank (0 = best) of {@code target} among {@code candidates} by dot product with {@code q}; ties count against. */
  static int rankOf(float[] q, List<float[]> candidates, int target) {
    double t = dot(q, candidates.get(target));
    int rank = 0;
    for (int i = 0; i < candidates.size(); i++) {
      if (i != target && dot(q, candidates.get(i)) >= t) {
        rank++;
      }
    }
    return rank;
  }

  /**
   * X→text: for each item, the rank of its label among all label vectors. Returns top-k accuracy,
   * chance k/|labels| and the label-prior baseline (answer the k labels most frequent among the items).
   */
  static Figure toText(String task, String group, List<float[]> items, int[] labels, List<float[]> labelVectors, int k) {
    int hits = 0;
    for (int i = 0; i < items.size(); i++) {
      if (rankOf(items.get(i), labelVectors, labels[i]) < k) {
        hits++;
      }
    }
    int n = items.size();
    return new Figure(task, group, n, k, n == 0 ? Double.NaN : (double) hits / n,
        Math.min(1.0, (double) k / labelVectors.size()), prior(labels, k));
  }

  /** Fraction of items whose label is among the k most frequent labels of the items. */
  static double prior(int[] labels, int k) {
    Map<Integer, Integer> freq = new HashMap<>();
    for (int l : labels) {
      freq.merge(l, 1, Integer::sum);
    }
    List<Map.Entry<Integer, Integer>> e = new ArrayList<>(freq.entrySet());
    e.sort(Map.Entry.<Integer, Integer>comparingByValue(Comparator.reverseOrder())
        .thenComparing(Map.Entry.comparingByKey()));
    int covered = 0;
    for (int i = 0; i < Math.min(k, e.size()); i++) {
      covered += e.get(i).getValue();
    }
    return labels.length == 0 ? Double.NaN : (double) covered / labels.length;
  }

  /**
   * A→B retrieval: a query hits when a gallery item with its label is in the top k. Queries whose
   * label has no gallery item are skipped. Chance is exact: 1 − C(G−m, k) / C(G, k), averaged.
   */
  static Figure crossModal(String task, String group, List<float[]> queries, int[] qLabels, List<float[]> gallery,
      int[] gLabels, int k) {
    int hits = 0;
    int counted = 0;
    double chance = 0;
    int g = gallery.size();
    for (int i = 0; i < queries.size(); i++) {
      int m = 0;
      for (int l : gLabels) {
        if (l == qLabels[i]) {
          m++;
        }
      }
      if (m == 0) {
        continue;
      }
      counted++;
      chance += 1.0 - ratioOfBinomials(g - m, g, k);
      double[] scores = new double[g];
      for (int j = 0; j < g; j++) {
        scores[j] = dot(queries.get(i), gallery.get(j));
      }
      // best relevant score; hit if fewer than k irrelevant items score at least as high
      double best = Double.NEGATIVE_INFINITY;
      for (int j = 0; j < g; j++) {
        if (gLabels[j] == qLabels[i]) {
          best = Math.max(best, scores[j]);
        }
      }
      int above = 0;
      for (int j = 0; j < g; j++) {
        if (gLabels[j] != qLabels[i] && scores[j] >= best) {
          above++;
        }
      }
      if (above < k) {
        hits++;
      }
    }
    int[] gl = gLabels.clone();
    Arrays.sort(gl);
    return new Figure(task, group, counted, k, counted == 0 ? Double.NaN : (double) hits / counted,
        counted == 0 ? Double.NaN : chance / counted, Double.NaN);
  }

  /** C(a, k) / C(b, k) for a ≤ b, as a product (0 when a < k). */
  static double ratioOfBinomials(int a, int b, int k) {
    if (a < k) {
      return 0;
    }
    double r = 1;
    for (int i = 0; i < k; i++) {
      r *= (double) (a - i) / (b - i);
    }
    return r;
  }

  /** Groups item indices by a key, keeping first-seen order. */
  static Map<String, List<Integer>> groupBy(List<String> keys) {
    Map<String, List<Integer>> out = new LinkedHashMap<>();
    for (int i = 0; i < keys.size(); i++) {
      out.computeIfAbsent(keys.get(i), x -> new ArrayList<>()).add(i);
    }
    return out;
  }
}
