package io.brainplane.search.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicReference;

import io.brainplane.index.VersionRef;
import io.brainplane.search.SearchHit;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.FieldInfo;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.index.StoredFieldVisitor;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.TermStates;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.Scorer;
import org.apache.lucene.search.Weight;
import org.apache.lucene.search.Sort;
import org.apache.lucene.search.TopScoreDocCollectorManager;
import org.apache.lucene.search.grouping.GroupDocs;
import org.apache.lucene.search.grouping.GroupingSearch;
import org.apache.lucene.search.grouping.TopGroups;
import org.apache.lucene.store.AlreadyClosedException;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.BytesRef;
import org.apache.lucene.util.BytesRefBuilder;
import org.apache.lucene.util.CloseableThreadLocal;
import org.apache.lucene.util.VectorUtil;
import org.springframework.lang.Nullable;
import org.springframework.util.FileSystemUtils;

/**
 * One open, immutable local index. Searches hold a reference while they run, so closing
 * an index that is being searched waits for the search; the directory is deleted only
 * after the last reference is gone.
 */
public final class VersionIndex {

	private final VersionRef ref;

	private final Path path;

	private final FSDirectory directory;

	private final DirectoryReader reader;

	private final IndexSearcher searcher;

	private final String model;

	/** Where the directory went when it was closed to be deleted (null: kept). */
	private final AtomicReference<Path> deleteOnClose = new AtomicReference<>();

	/**
	 * Each thread's stored fields reader of this index, kept from search to search
	 * instead of cloning each segment's reader for every search. A reader is used by one
	 * thread at a time, and all are dropped when the index closes. (The segments' merge
	 * instances, which decompress into a buffer they keep instead of a new one per
	 * document, would allocate half as much but cost 40 % more CPU: they decompress whole
	 * blocks, see docs/performance.md.)
	 */
	private final CloseableThreadLocal<StoredFields> storedFields = new CloseableThreadLocal<>();

	/**
	 * Each thread's term dictionary cursors of this index (text and title, one per
	 * segment), kept from search to search: looking a term up through a new cursor builds
	 * its frames and arcs again every time.
	 */
	private final CloseableThreadLocal<TermLookup> termLookups = new CloseableThreadLocal<>();

	private VersionIndex(VersionRef ref, Path path, FSDirectory directory, DirectoryReader reader) throws IOException {
		this.ref = ref;
		this.path = path;
		this.directory = directory;
		this.reader = reader;
		this.searcher = new IndexSearcher(reader);
		this.model = reader.getIndexCommit().getUserData().get(IndexFields.MODEL_KEY);
		reader.getReaderCacheHelper().addClosedListener((key) -> release(directory));
	}

	public static VersionIndex open(VersionRef ref, Path path) throws IOException {
		FSDirectory directory = FSDirectory.open(path);
		try {
			return new VersionIndex(ref, path, directory, DirectoryReader.open(directory));
		}
		catch (IOException | RuntimeException ex) {
			directory.close();
			throw ex;
		}
	}

	/**
	 * Reads every file of the index and checks it against its Lucene checksum.
	 * @throws org.apache.lucene.index.CorruptIndexException when a file is corrupt
	 * @throws IOException when a file is missing or unreadable
	 */
	void checkIntegrity() throws IOException {
		for (LeafReaderContext leaf : this.reader.leaves()) {
			leaf.reader().checkIntegrity();
		}
	}

	/** How many segments the index has. */
	int segmentCount() {
		return this.reader.leaves().size();
	}

	public VersionRef ref() {
		return this.ref;
	}

	int chunkCount() {
		return this.reader.numDocs();
	}

	/** The embedding model of this index's vectors, or null when it has none. */
	@Nullable
	public String model() {
		return this.model;
	}

	/**
	 * Chunks that have a vector (deleted ones, left by an incremental build, not
	 * counted).
	 */
	int vectorCount() throws IOException {
		int count = 0;
		for (LeafReaderContext leaf : this.reader.leaves()) {
			FloatVectorValues values = leaf.reader().getFloatVectorValues(IndexFields.VECTOR);
			if (values == null) {
				continue;
			}
			Bits live = leaf.reader().getLiveDocs();
			if (live == null) {
				count += values.size();
			}
			else if (values.size() == leaf.reader().maxDoc()) {
				// every chunk of the segment has a vector: its live ones, without reading
				// the segment (an incremental build leaves deletions in its base's large
				// segments)
				count += leaf.reader().numDocs();
			}
			else {
				for (int doc = values.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = values.nextDoc()) {
					count += live.get(doc) ? 1 : 0;
				}
			}
		}
		return count;
	}

	/** The first chunk not deleted, or -1 when there is none. */
	int firstLiveDoc() {
		for (LeafReaderContext leaf : this.reader.leaves()) {
			Bits live = leaf.reader().getLiveDocs();
			for (int doc = 0; doc < leaf.reader().maxDoc(); doc++) {
				if (live == null || live.get(doc)) {
					return leaf.docBase + doc;
				}
			}
		}
		return -1;
	}

	/** The nearest chunks to a unit-length vector, as a query. */
	public static Query nearest(float[] vector, int candidates) {
		return new KnnFloatVectorQuery(IndexFields.VECTOR, vector, candidates);
	}

	/** Takes a reference for one search; false when the index is already closed. */
	boolean acquire() {
		return this.reader.tryIncRef();
	}

	public void release() {
		try {
			this.reader.decRef();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Drops this holder's reference; the index closes once no search holds it. To be
	 * deleted, the directory first moves aside (the open files stay readable), so the
	 * version can be opened again at once, from a copy of its own, while a search still
	 * reads this one.
	 */
	public void close(boolean delete) {
		if (delete && this.deleteOnClose.get() == null) {
			this.deleteOnClose.compareAndSet(null, movedAside());
		}
		release();
	}

	private Path movedAside() {
		Path aside = this.path.resolveSibling(".tmp-closed-" + this.path.getFileName() + "-" + UUID.randomUUID());
		try {
			Files.move(this.path, aside, StandardCopyOption.ATOMIC_MOVE);
			return aside;
		}
		catch (IOException ex) {
			// not movable (gone already, say): deleted where it is
			return this.path;
		}
	}

	public List<SearchHit> search(Query query, int k, boolean byDocument) throws IOException {
		List<Ranked> ranked = rank(query, k, byDocument);
		float[] scores = new float[ranked.size()];
		for (int i = 0; i < scores.length; i++) {
			scores[i] = ranked.get(i).score();
		}
		return hits(ranked, scores);
	}

	/**
	 * The results for ranked doc ids, with the given scores, read through one stored
	 * fields reader (a reader per hit would decompress the same block again for
	 * neighbouring chunks).
	 */
	public List<SearchHit> hits(List<Ranked> ranked, float[] scores) throws IOException {
		List<SearchHit> hits = new ArrayList<>(ranked.size());
		StoredFields stored = storedFields();
		for (int i = 0; i < ranked.size(); i++) {
			hits.add(hit(stored, ranked.get(i).doc(), scores[i]));
		}
		return hits;
	}

	/**
	 * The best {@code n} chunks (or documents, each by its best chunk) as Lucene doc ids
	 * and scores only: nothing stored is read, so rankings that are fused and cut
	 * ({@code hybrid}) load just the results they keep.
	 */
	public List<Ranked> rank(Query query, int n, boolean byDocument) throws IOException {
		List<Ranked> ranked = new ArrayList<>(n);
		if (byDocument) {
			GroupingSearch grouping = new GroupingSearch(IndexFields.DOCUMENT_KEY);
			grouping.setGroupSort(Sort.RELEVANCE);
			grouping.setSortWithinGroup(Sort.RELEVANCE);
			grouping.setGroupDocsLimit(1);
			TopGroups<BytesRef> groups = grouping.search(this.searcher, query, 0, n);
			if (groups != null) {
				for (GroupDocs<BytesRef> group : groups.groups) {
					if (group.scoreDocs.length > 0) {
						ScoreDoc best = group.scoreDocs[0];
						ranked.add(new Ranked(best.doc, best.score, group.groupValue.utf8ToString()));
					}
				}
			}
		}
		else {
			// no hit count is reported, so none is kept: Lucene skips what cannot reach
			// the top n as soon as it holds n results, instead of after counting 1,000
			// (its default); the same results, same scores, same order
			int hits = Math.min(n, Math.max(1, this.reader.maxDoc()));
			TopScoreDocCollectorManager top = new TopScoreDocCollectorManager(hits, null, hits);
			for (ScoreDoc doc : this.searcher.search(query, top).scoreDocs) {
				ranked.add(new Ranked(doc.doc, doc.score, doc.doc));
			}
		}
		return ranked;
	}

	/** One result of {@link #rank}, with the key it is fused under. */
	public record Ranked(int doc, float score, Object key) {
	}

	/** This thread's stored fields reader of this index. */
	private StoredFields storedFields() throws IOException {
		ensureOpen();
		StoredFields stored = this.storedFields.get();
		if (stored == null) {
			stored = this.searcher.storedFields();
			this.storedFields.set(stored);
		}
		return stored;
	}

	private static SearchHit hit(StoredFields stored, int docId, float score) throws IOException {
		HitFields fields = new HitFields();
		stored.document(docId, fields);
		return new SearchHit(fields.documentKey, fields.title, fields.chunkId, score, fields.text, fields.source,
				fields.metadata);
	}

	/**
	 * A result's stored fields read straight into what the answer shows, without a
	 * {@code Document} of fields in between; the first value of a field counts, as
	 * {@code Document.get} has it.
	 */
	private static final class HitFields extends StoredFieldVisitor {

		@Nullable
		String documentKey;

		@Nullable
		String title;

		long chunkId;

		@Nullable
		String text;

		@Nullable
		String source;

		@Nullable
		String metadata;

		@Override
		public Status needsField(FieldInfo field) {
			return Status.YES;
		}

		@Override
		public void stringField(FieldInfo field, String value) {
			switch (field.name) {
				case IndexFields.DOCUMENT_KEY ->
					this.documentKey = (this.documentKey != null) ? this.documentKey : value;
				case IndexFields.TITLE -> this.title = (this.title != null) ? this.title : value;
				case IndexFields.TEXT -> this.text = (this.text != null) ? this.text : value;
				case IndexFields.SOURCE -> this.source = (this.source != null) ? this.source : value;
				case IndexFields.METADATA -> this.metadata = (this.metadata != null) ? this.metadata : value;
				default -> {
				}
			}
		}

		@Override
		public void longField(FieldInfo field, long value) {
			if (IndexFields.CHUNK_ID.equals(field.name)) {
				this.chunkId = value;
			}
		}

		@Override
		public void intField(FieldInfo field, int value) {
			longField(field, value);
		}

	}

	/**
	 * The query's scores of the given chunks (0 for a chunk it does not match), in the
	 * order given.
	 */
	public float[] scores(Query query, int[] docs) throws IOException {
		float[] scores = new float[docs.length];
		Weight weight = this.searcher.createWeight(this.searcher.rewrite(query), ScoreMode.COMPLETE, 1);
		Integer[] order = ascending(docs);
		List<LeafReaderContext> leaves = this.reader.leaves();
		LeafReaderContext leaf = null;
		Scorer scorer = null;
		for (int i : order) {
			int doc = docs[i];
			if (leaf == null || doc >= leaf.docBase + leaf.reader().maxDoc()) {
				leaf = leaves.get(ReaderUtil.subIndex(doc, leaves));
				scorer = weight.scorer(leaf);
			}
			if (scorer == null) {
				continue;
			}
			int target = doc - leaf.docBase;
			int at = scorer.docID();
			if (at < target) {
				at = scorer.iterator().advance(target);
			}
			if (at == target) {
				scores[i] = scorer.score();
			}
		}
		return scores;
	}

	/**
	 * The cosine similarity of a unit-length vector with the given chunks' vectors (0 for
	 * a chunk without one), in the order given.
	 */
	public float[] cosines(float[] vector, int[] docs) throws IOException {
		float[] cosines = new float[docs.length];
		Integer[] order = ascending(docs);
		List<LeafReaderContext> leaves = this.reader.leaves();
		LeafReaderContext leaf = null;
		FloatVectorValues values = null;
		for (int i : order) {
			int doc = docs[i];
			if (leaf == null || doc >= leaf.docBase + leaf.reader().maxDoc()) {
				leaf = leaves.get(ReaderUtil.subIndex(doc, leaves));
				values = leaf.reader().getFloatVectorValues(IndexFields.VECTOR);
			}
			if (values == null) {
				continue;
			}
			int target = doc - leaf.docBase;
			int at = values.docID();
			if (at < target) {
				at = values.advance(target);
			}
			if (at == target) {
				cosines[i] = VectorUtil.dotProduct(vector, values.vectorValue());
			}
		}
		return cosines;
	}

	private static Integer[] ascending(int[] docs) {
		Integer[] order = new Integer[docs.length];
		for (int i = 0; i < order.length; i++) {
			order[i] = i;
		}
		Arrays.sort(order, Comparator.comparingInt((Integer i) -> docs[i]));
		return order;
	}

	/**
	 * The most a chunk can score on the text field for these terms: the sum of their BM25
	 * idf, which is what each term's score tends to as its frequency grows (Lucene's BM25
	 * has no {@code (k1 + 1)} factor). A term no chunk contains counts with the idf of an
	 * unseen term, so a query the brain knows only half of cannot look like a full match.
	 */
	public double maxTextScore(Set<String> terms) throws IOException {
		return maxTextScore(textStatistics(terms));
	}

	/**
	 * As {@link #maxTextScore(Set)}, from the terms' statistics on the text field already
	 * looked up ({@link #textStatistics}).
	 */
	public double maxTextScore(TermStates[] textStatistics) throws IOException {
		long chunks = Math.max(1, this.reader.getDocCount(IndexFields.TEXT));
		double max = 0;
		for (TermStates term : textStatistics) {
			long containing = term.docFreq();
			max += Math.log(1 + (chunks - containing + 0.5) / (containing + 0.5));
		}
		return max;
	}

	/**
	 * Each term's statistics on the text field, looked up once in this index: a query
	 * built with them ({@link QueryFactory#create(Set, TermStates[], TermStates[])}) and
	 * the verdict's {@link #maxTextScore(TermStates[])} share the lookup instead of
	 * seeking every term twice.
	 */
	public TermStates[] textStatistics(Set<String> terms) throws IOException {
		return statistics(IndexFields.TEXT, terms);
	}

	/**
	 * Each term's statistics on the title field, for the query's title clauses
	 * ({@link QueryFactory#create(Set, TermStates[], TermStates[])}), looked up through
	 * this thread's cursors as {@link #textStatistics} does.
	 */
	public TermStates[] titleStatistics(Set<String> terms) throws IOException {
		return statistics(IndexFields.TITLE, terms);
	}

	/**
	 * What {@code TermStates.build(searcher, term, true)} gives for each term (its state,
	 * document and total term frequency in every segment that has it), looked up through
	 * this thread's term cursors instead of a new cursor per term and segment.
	 */
	private TermStates[] statistics(String field, Set<String> terms) throws IOException {
		ensureOpen();
		TermLookup lookup = this.termLookups.get();
		if (lookup == null) {
			lookup = new TermLookup(this.reader.leaves().size());
			this.termLookups.set(lookup);
		}
		TermsEnum[] cursors = lookup.cursors(field);
		List<LeafReaderContext> leaves = this.reader.leaves();
		TermStates[] states = new TermStates[terms.size()];
		BytesRefBuilder bytes = new BytesRefBuilder();
		int i = 0;
		for (String term : terms) {
			bytes.copyChars(term);
			TermStates state = new TermStates(this.searcher.getTopReaderContext());
			for (int leaf = 0; leaf < cursors.length; leaf++) {
				if (cursors[leaf] == null) {
					cursors[leaf] = Terms.getTerms(leaves.get(leaf).reader(), field).iterator();
				}
				TermsEnum cursor = cursors[leaf];
				if (cursor.seekExact(bytes.get())) {
					state.register(cursor.termState(), leaves.get(leaf).ord, cursor.docFreq(), cursor.totalTermFreq());
				}
			}
			states[i++] = state;
		}
		return states;
	}

	/**
	 * Fails as Lucene would on a closed index (the per-thread readers are gone with it);
	 * a search holds a reference ({@link #acquire}), so this never fails for one.
	 */
	private void ensureOpen() {
		if (this.reader.getRefCount() <= 0) {
			throw new AlreadyClosedException("this index is closed");
		}
	}

	/**
	 * One thread's term dictionary cursors, per field and segment (created when first
	 * used).
	 */
	private static final class TermLookup {

		private final TermsEnum[] text;

		private final TermsEnum[] title;

		TermLookup(int segments) {
			this.text = new TermsEnum[segments];
			this.title = new TermsEnum[segments];
		}

		TermsEnum[] cursors(String field) {
			return IndexFields.TEXT.equals(field) ? this.text : this.title;
		}

	}

	private void release(FSDirectory directory) {
		this.storedFields.close();
		this.termLookups.close();
		try {
			directory.close();
		}
		catch (IOException ex) {
			// nothing more to release
		}
		Path doomed = this.deleteOnClose.get();
		if (doomed != null) {
			try {
				FileSystemUtils.deleteRecursively(doomed);
			}
			catch (IOException ex) {
				// retried by the next clean-up of the index directory
			}
		}
	}

	Path path() {
		return this.path;
	}

	DirectoryReader reader() {
		return this.reader;
	}

}
