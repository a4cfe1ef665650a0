import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.*;
import java.util.*;
import io.brainplane.search.internal.QueryFactory;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.store.MMapDirectory;

/** What EngineAB and StoredAB both start from: the brain's first version index, and the queries' terms. */
final class Setup {
  private Setup() {}

  /** The first version directory ("v...") under the data directory's index root. */
  static DirectoryReader index(String root) throws Exception {
    Path dir; try (var s = Files.list(Path.of(root))) { dir = s.filter(p -> p.getFileName().toString().startsWith("v")).findFirst().orElseThrow(); }
    return DirectoryReader.open(MMapDirectory.open(dir));
  }

  /** Each query line (URL-encoded, as wrk sends it) as the service's terms; queries without a term are left out. */
  static List<Set<String>> queries(String file, QueryFactory qf) throws Exception {
    List<Set<String>> qs = new ArrayList<>();
    for (String l : Files.readAllLines(Path.of(file))) { Set<String> t = qf.terms(URLDecoder.decode(l, StandardCharsets.UTF_8)); if (!t.isEmpty()) qs.add(t); }
    return qs;
  }
}
