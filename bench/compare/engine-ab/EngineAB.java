import java.lang.management.*;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.*;
import java.util.*;
import io.brainplane.search.internal.QueryFactory;
import org.apache.lucene.index.*;
import org.apache.lucene.search.*;
import org.apache.lucene.store.MMapDirectory;

/** Usage: bench/compare/engine-ab/run.sh MODE (README). old: main's lexical engine work (query, top 10 with the default count of 1,000, docFreq per term again);
 *  new: shared TermStates, top 10 without counting. Interleaved blocks, thread CPU per query. */
public class EngineAB {
  static double maxOld(IndexReader r, Set<String> terms) throws Exception { long n = Math.max(1, r.getDocCount("text")); double m = 0;
    for (String t : terms) { long c = r.docFreq(new Term("text", t)); m += Math.log(1 + (n - c + 0.5) / (c + 0.5)); } return m; }
  public static void main(String[] a) throws Exception {
    var reader = Setup.index(a[0]);
    var searcher = new IndexSearcher(reader);
    var qf = new QueryFactory(256);
    List<Set<String>> qs = Setup.queries(a[1], qf);
    ThreadMXBean mx = ManagementFactory.getThreadMXBean();
    int rounds = Integer.parseInt(a[2]); int block = 1000; int mode = Integer.parseInt(a[3]);
    String[] names = {"A", "B"};
    List<List<Double>> res = List.of(new ArrayList<>(), new ArrayList<>());
    double check = 0; int at = 0;
    for (int r = 0; r < rounds; r++) {
      for (int v = 0; v < 2; v++) {
        long c0 = mx.getCurrentThreadCpuTime();
        for (int i = 0; i < block; i++) {
          Set<String> terms = qs.get((at + i) % qs.size());
          if (v == 0) {
            TopDocs td = mode == 1 ? searcher.search(qf.create(terms), 10) : searcher.search(qf.create(terms), new TopScoreDocCollectorManager(10, null, 10));
            check += td.scoreDocs.length + maxOld(reader, terms);
          } else {
            TermStates[] st = new TermStates[terms.size()]; int j = 0;
            for (String t : terms) st[j++] = TermStates.build(searcher, new Term("text", t), true);
            TopDocs td = searcher.search(qf.create(terms, st), new TopScoreDocCollectorManager(10, null, 10));
            long n = Math.max(1, reader.getDocCount("text")); double m = 0;
            for (TermStates s : st) { long c = s.docFreq(); m += Math.log(1 + (n - c + 0.5) / (c + 0.5)); }
            check += td.scoreDocs.length + m;
          }
        }
        long c1 = mx.getCurrentThreadCpuTime();
        if (r >= rounds / 4) res.get(v).add((c1 - c0) / 1000.0 / block);
      }
      at += block;
    }
    int diff = 0;
    for (Set<String> terms : qs) { var x = searcher.search(qf.create(terms), 10).scoreDocs;
      TermStates[] st = new TermStates[terms.size()]; int j = 0; for (String t : terms) st[j++] = TermStates.build(searcher, new Term("text", t), true);
      var y = searcher.search(qf.create(terms, st), new TopScoreDocCollectorManager(10, null, 10)).scoreDocs;
      long n = Math.max(1, reader.getDocCount("text")); double m = 0; for (TermStates s : st) { long c = s.docFreq(); m += Math.log(1 + (n - c + 0.5) / (c + 0.5)); }
      if (m != maxOld(reader, terms)) diff++;
      else if (x.length != y.length) diff++; else for (int i = 0; i < x.length; i++) if (x[i].doc != y[i].doc || x[i].score != y[i].score) { diff++; break; } }
    for (int v = 0; v < 2; v++) { var l = new ArrayList<>(res.get(v)); Collections.sort(l);
      System.out.printf("%s: CPU per query median %.1f us (p25 %.1f, p75 %.1f, n=%d)%n", names[v], l.get(l.size()/2), l.get(l.size()/4), l.get(3*l.size()/4), l.size()); }
    System.out.println("queries whose top 10 or verdict statistic differ: " + diff + " of " + qs.size() + " check " + check);
  }
}
