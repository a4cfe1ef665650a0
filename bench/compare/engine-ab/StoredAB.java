import java.lang.management.*;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.*;
import java.util.*;
import io.brainplane.search.internal.QueryFactory;
import org.apache.lucene.codecs.*;
import org.apache.lucene.document.DocumentStoredFieldVisitor;
import org.apache.lucene.index.*;
import org.apache.lucene.search.*;
import org.apache.lucene.store.MMapDirectory;
import org.apache.lucene.util.BytesRef;

/** Usage: CLASS=StoredAB MODE=stored|lz4|terms bench/compare/engine-ab/run.sh (run.sh's header). Variants of reading the
 *  top 10's stored fields, or of looking the query terms' statistics up, in interleaved blocks of 1,000 queries; the
 *  thread's CPU time and allocated bytes per query (the first quarter of the blocks is warm-up). */
public class StoredAB {
  public static void main(String[] a) throws Exception {
    var reader = Setup.index(a[0]);
    var searcher = new IndexSearcher(reader);
    var qf = new QueryFactory(256);
    List<Set<String>> qs = Setup.queries(a[1], qf);
    List<int[]> tops = new ArrayList<>();
    for (Set<String> t : qs) { var sd = searcher.search(qf.create(t), new TopScoreDocCollectorManager(10, null, 10)).scoreDocs; int[] d = new int[sd.length]; for (int i = 0; i < d.length; i++) d[i] = sd[i].doc; tops.add(d); }
    var mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long tid = Thread.currentThread().getId();
    int rounds = Integer.parseInt(a[2]); int block = 1000;
    String[] names = a[3].equals("stored") ? new String[] {"plain-per-search", "plain-kept", "merge-kept"}
        : a[3].equals("lz4") ? new String[] {"lucene-lz4-kept", "codec-kept"} : new String[] {"build", "cursors"};
    StoredFields kept = searcher.storedFields();
    LeafReader leaf = reader.leaves().get(0).reader();
    StoredFields merge = ((SegmentReader) leaf).getFieldsReader().getMergeInstance();
    // the segment's stored fields as Lucene's own FAST decompressor reads them (the codec's reader decompresses otherwise)
    var si = ((SegmentReader) leaf).getSegmentInfo().info;
    StoredFields lucene = new org.apache.lucene.codecs.lucene90.compressing.Lucene90CompressingStoredFieldsReader(si.dir, si, "",
        leaf.getFieldInfos(), org.apache.lucene.store.IOContext.DEFAULT, "BrainplaneStoredFieldsLZ4Small",
        org.apache.lucene.codecs.compressing.CompressionMode.FAST);
    TermsEnum[] cur = { leaf.terms("text").iterator(), leaf.terms("title").iterator() };
    List<List<double[]>> res = new ArrayList<>(); for (String n : names) res.add(new ArrayList<>());
    long sink = 0; int at = 0;
    for (int r = 0; r < rounds; r++) {
      for (int v = 0; v < names.length; v++) {
        long c0 = mx.getCurrentThreadCpuTime(), m0 = mx.getThreadAllocatedBytes(tid);
        for (int i = 0; i < block; i++) {
          int q = (at + i) % qs.size();
          if (a[3].equals("stored") || a[3].equals("lz4")) {
            StoredFields sf = a[3].equals("lz4") ? (v == 0 ? lucene : kept) : v == 0 ? searcher.storedFields() : v == 1 ? kept : merge;
            for (int d : tops.get(q)) { var vis = new DocumentStoredFieldVisitor(); sf.document(d, vis); sink += vis.getDocument().get("text").length(); }
          } else {
            for (String f : new String[] {"text", "title"}) {
              int fi = f.equals("text") ? 0 : 1;
              for (String t : qs.get(q)) {
                TermStates st;
                if (v == 0) st = TermStates.build(searcher, new Term(f, t), true);
                else { st = new TermStates(searcher.getTopReaderContext()); if (cur[fi].seekExact(new BytesRef(t))) st.register(cur[fi].termState(), 0, cur[fi].docFreq(), cur[fi].totalTermFreq()); }
                sink += st.docFreq();
              }
            }
          }
        }
        long c1 = mx.getCurrentThreadCpuTime(), m1 = mx.getThreadAllocatedBytes(tid);
        if (r >= rounds / 4) res.get(v).add(new double[] {(c1 - c0) / 1000.0 / block, (m1 - m0) / 1024.0 / block});
      }
      at += block;
    }
    for (int v = 0; v < names.length; v++) { var l = new ArrayList<>(res.get(v)); l.sort(Comparator.comparingDouble(x -> x[0]));
      System.out.printf("%s: CPU per query median %.1f us (p25 %.1f, p75 %.1f), allocated %.1f kB per query%n", names[v], l.get(l.size()/2)[0], l.get(l.size()/4)[0], l.get(3*l.size()/4)[0], l.get(l.size()/2)[1]); }
    System.out.println("sink " + sink);
  }
}
