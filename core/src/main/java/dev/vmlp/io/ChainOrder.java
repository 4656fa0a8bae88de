package dev.vmlp.io;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The order of named layers ({@code fc1}, {@code fc2}, {@code out}: a module's attributes, which a
 * {@code state_dict} names but does not order), read from their shapes: each layer takes the outputs of
 * the one before it. The order is taken only when it is the only one the shapes allow; otherwise the file
 * is refused, naming the layers that could go either way, since a guess would build another network from
 * the same weights.
 *
 * <p>Two layers of one shape could always swap, so they are refused at once. Otherwise a depth-first
 * search over the layers, from the one layer whose inputs no other gives (or from each, where every
 * layer's inputs are another's outputs), counts the orders that use every layer, stopping at the second.
 * The search takes at most {@value #BUDGET} steps; a file whose shapes would take more is refused, so that
 * a hostile header cannot hold the loader.
 */
final class ChainOrder {
  /** Steps of the search at most: a network's shapes leave a choice rarely, and such a choice ends soon. */
  static final int BUDGET = 1_000_000;
  private static final String ADVICE = "; number the layers as nn.Sequential does ({i}.weight and {i}.bias) to give "
      + "their order";

  private ChainOrder() {}

  /**
   * The layers, each a weight (present) and a bias (may be null), from the input to the output.
   *
   * @throws ModelFormatException naming a layer whose shape is not [out, in], or the layers that make the
   *     order ambiguous or impossible
   */
  static Header.Tensor[][] of(Collection<Header.Tensor[]> named, Path file) throws ModelFormatException {
    List<Header.Tensor[]> layers = new ArrayList<>(named);
    int n = layers.size();
    long[] outs = new long[n];
    long[] ins = new long[n];
    Map<List<Long>, Header.Tensor> byShape = new HashMap<>();
    Map<Long, List<Integer>> takers = new HashMap<>(); // the layers that take this many inputs
    Map<Long, Integer> giving = new HashMap<>(); // how many layers give this many outputs
    for (int i = 0; i < n; i++) {
      Header.Tensor w = weight(layers, i);
      ModelFiles.checkMatrix(w, file); // before its shape is read; ModelFiles.sizes checks it again, in order
      outs[i] = w.shape()[0];
      ins[i] = w.shape()[1];
      Header.Tensor same = byShape.putIfAbsent(List.of(outs[i], ins[i]), w);
      if (same != null) {
        throw error(file, w, "has the shape " + w.shapeText() + " of '" + Header.abbreviate(same.name())
            + "', so the file does not say which of the two comes first");
      }
      takers.computeIfAbsent(ins[i], k -> new ArrayList<>()).add(i);
      giving.merge(outs[i], 1, Integer::sum);
    }
    // a layer whose inputs no other layer gives can only be the first (a square layer gives what it takes)
    List<Integer> starts = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      if (giving.getOrDefault(ins[i], 0) - (outs[i] == ins[i] ? 1 : 0) == 0) {
        starts.add(i);
      }
    }
    if (starts.size() > 1) {
      throw error(file, weight(layers, starts.get(1)), "and '" + Header.abbreviate(weight(layers, starts.get(0)).name())
          + "' both take inputs that no other layer gives, so they cannot both come first");
    }
    if (starts.isEmpty()) {
      for (int i = 0; i < n; i++) {
        starts.add(i);
      }
    }

    int[] path = new int[n];
    int[] choice = new int[n];
    boolean[] used = new boolean[n];
    int[] found = null;
    long steps = 0;
    for (int start : starts) {
      int depth = 0;
      path[0] = start;
      used[start] = true;
      choice[0] = 0;
      while (depth >= 0) {
        if (depth == n - 1) {
          if (found != null) {
            int at = 0;
            while (found[at] == path[at]) {
              at++;
            }
            throw error(file, weight(layers, path[at]), "and '" + Header.abbreviate(weight(layers, found[at]).name())
                + "' can each come " + (at == 0 ? "first" : "after '"
                    + Header.abbreviate(weight(layers, path[at - 1]).name()) + "'")
                + " in an order of all the layers, so the file does not say which does");
          }
          found = path.clone();
          used[path[depth--]] = false;
          continue;
        }
        List<Integer> next = takers.getOrDefault(outs[path[depth]], List.of());
        int i = -1;
        while (choice[depth] < next.size()) {
          if (++steps > BUDGET) {
            // whether the shapes allow no order, one or more is not known yet: only that the search is too long
            throw error(file, weight(layers, 0), "and the other " + (n - 1) + " layers have shapes that leave more "
                + "choices than this loader searches (" + BUDGET + " steps) for their order");
          }
          int candidate = next.get(choice[depth]++);
          if (!used[candidate]) {
            i = candidate;
            break;
          }
        }
        if (i < 0) {
          used[path[depth--]] = false;
          continue;
        }
        path[++depth] = i;
        used[i] = true;
        choice[depth] = 0;
      }
    }
    if (found == null) {
      throw error(file, weight(layers, starts.getFirst()), starts.size() == 1 && n > 1
          ? "comes first (no other layer gives its inputs), but no order of all the " + n + " layers from it has "
              + "each take the outputs of the one before"
          : "and the other layers have no order in which each takes the outputs of the one before");
    }
    Header.Tensor[][] order = new Header.Tensor[n][];
    for (int k = 0; k < n; k++) {
      order[k] = layers.get(found[k]);
    }
    return order;
  }

  private static Header.Tensor weight(List<Header.Tensor[]> layers, int i) {
    return layers.get(i)[0];
  }

  private static ModelFormatException error(Path file, Header.Tensor w, String problem) {
    return new ModelFormatException(file, w.name(), "tensor '" + Header.abbreviate(w.name()) + "' " + problem
        + ADVICE);
  }
}
