#!/usr/bin/env python3
"""Replays hybrid fusion variants offline on the scores CranfieldQualityTests writes.

    ./mvnw -B test -Dtest=CranfieldQualityTests -Dcranfield.scores=$PWD/target/cranfield-bge.bin
    ./mvnw -B test -Dtest=CranfieldQualityTests -Dbrain.embedding.model=all-minilm-l6-v2-q \
        -Dcranfield.scores=$PWD/target/cranfield-minilm.bin
    python3 bench/quality/fusion.py target/cranfield-minilm.bin:0.35 target/cranfield-bge.bin:0.62

Each argument is a scores file and the model's hit threshold. For each, prints nDCG@10 of
hybrid (group=document, k=10) under each variant, emulating SearchService.hybrid: both
rankings of documents (each by its best chunk), the hit gate, RRF or linear fusion. The
"before" row must equal the test's own figures (docs/performance.md, quality round).
Needs numpy.
"""
import struct, sys, math, collections
import numpy as np

def read_dump(path):
    with open(path,'rb') as f: data=f.read()
    off=0
    def i32():
        nonlocal off; v=struct.unpack_from('>i',data,off)[0]; off+=4; return v
    def utf():
        nonlocal off; l=struct.unpack_from('>H',data,off)[0]; off+=2; s=data[off:off+l].decode('utf-8','replace'); off+=l; return s
    def f64():
        nonlocal off; v=struct.unpack_from('>d',data,off)[0]; off+=8; return v
    n=i32(); keys=[utf() for _ in range(n)]
    q=i32(); queries={}; plain={}
    for _ in range(q):
        k=utf(); mt=f64()
        bm=np.frombuffer(data,dtype='>f4',count=n,offset=off).astype(np.float64); off+=4*n
        co=np.frombuffer(data,dtype='>f4',count=n,offset=off).astype(np.float64); off+=4*n
        pl=np.frombuffer(data,dtype='>f4',count=n,offset=off).astype(np.float64); off+=4*n
        queries[k]=(mt,bm,co)
        plain[k]=(mt,bm,pl)
    return keys,queries,plain

def judgments(path='src/test/resources/datasets/cranfield/qrels.tsv'):
    j=collections.defaultdict(dict)
    for line in open(path):
        a=line.rstrip('\n').split('\t')
        if len(a)<3: continue
        g=int(a[2].strip())
        if 1<=g<=4: j[a[0]][a[1]]=5-g
    return j

def ndcg10(ranked, rel):
    dcg=sum((2**rel.get(k,0)-1)/math.log2(i+2) for i,k in enumerate(ranked[:10]))
    ideal=sorted(rel.values(),reverse=True)[:10]
    idcg=sum((2**g-1)/math.log2(i+2) for i,g in enumerate(ideal))
    return dcg/idcg if idcg else 0

class Corpus:
    def __init__(self,path):
        self.keys,self.queries,self.plain=read_dump(path)
        self.docs=sorted(set(self.keys))
        self.didx={d:i for i,d in enumerate(self.docs)}
        self.chunkdoc=np.array([self.didx[k] for k in self.keys])
        self.nd=len(self.docs)

def side_rank(C, chunkscores, depth, agg='max', mask=None):
    """doc ranking: list of (doc, score, chunk)"""
    if mask is None: mask=np.ones(len(chunkscores),bool)
    s=np.where(mask,chunkscores,-np.inf)
    best=np.full(C.nd,-np.inf); np.maximum.at(best,C.chunkdoc,s)
    # chunk of best
    order=np.argsort(-s,kind='stable')
    bestchunk=np.full(C.nd,-1)
    for c in order[::-1]:
        bestchunk[C.chunkdoc[c]]=c
    if agg=='sum':
        tot=np.zeros(C.nd); np.add.at(tot,C.chunkdoc,np.where(mask,chunkscores,0))
        val=np.where(np.isfinite(best),tot,-np.inf)
    else:
        val=best
    docs=np.argsort(-val,kind='stable')
    out=[]
    for d in docs[:depth]:
        if not np.isfinite(val[d]): break
        out.append((d,val[d],bestchunk[d]))
    return out

def hybrid(C, q, plain=False, depth=50, fusion='rrf', k=60, w=0.5, norm='max', gate=True, min_score=0.2, min_sim=0.35, agg='max', topk=10):
    mt,bm,co=(C.plain if plain else C.queries)[q]
    words=side_rank(C,bm,depth,agg,mask=bm>0)
    meaning=side_rank(C,co,depth,agg)
    rel=min(1,words[0][1]/mt) if words and mt>0 else 0
    sim=meaning[0][1] if meaning else -1
    if gate:
        wc=rel>=min_score; mc=sim>=min_sim
        useW=bool(words) and (wc or not mc); useM=bool(meaning) and (mc or not wc)
    else:
        useW=bool(words); useM=bool(meaning)
    cand=collections.OrderedDict()
    if useW:
        for r,(d,s,c) in enumerate(words): cand.setdefault(d,{})['w']=(r,s,c)
    if useM:
        for r,(d,s,c) in enumerate(meaning): cand.setdefault(d,{})['m']=(r,s,c)
    scores={}
    if fusion=='rrf':
        for d,v in cand.items():
            scores[d]=sum(1.0/(k+v[x][0]+1) for x in v)
    else:
        # raw values per candidate
        B={};S={}
        for d,v in cand.items():
            if 'w' in v and 'm' in v:
                B[d]=v['w'][1]; S[d]=v['m'][1]
            elif 'w' in v:
                c=v['w'][2]; B[d]=v['w'][1]; S[d]=co[c] if useM else 0
            else:
                c=v['m'][2]; S[d]=v['m'][1]; B[d]=bm[c] if useW else 0
        ww = (w if useM else 0) if useW else 1
        if norm=='max':  # current
            nb={d:(min(1,B[d]/mt) if mt>0 else 0) for d in cand}
            ns={d:max(0,min(1,S[d])) for d in cand}
        elif norm.startswith('floor'):
            fl=float(norm[5:])
            nb={d:(min(1,B[d]/mt) if mt>0 else 0) for d in cand}
            ns={d:max(0,min(1,(S[d]-fl)/(1-fl))) for d in cand}
        elif norm in ('minmax','zscore','dbsf'):
            # statistics over each side's own ranking (top depth), applied to all candidates
            def stats(lst):
                a=np.array([x[1] for x in lst]) if lst else np.array([0.0])
                return a
            aw=stats(words) if words else np.array([0.0]); am=stats(meaning)
            def f(a,x):
                if norm=='minmax':
                    lo,hi=a.min(),a.max(); return (x-lo)/(hi-lo) if hi>lo else 1.0
                if norm=='zscore':
                    sd=a.std(); return (x-a.mean())/sd if sd>0 else 0.0
                if norm=='dbsf':
                    mu,sd=a.mean(),a.std(); lo,hi=mu-3*sd,mu+3*sd
                    return min(1.0,max(0.0,(x-lo)/(hi-lo))) if hi>lo else (1.0 if x>=mu else 0.0)
            nb={d:f(aw,B[d]) for d in cand}; ns={d:f(am,S[d]) for d in cand}
        for d in cand:
            scores[d]=ww*ns[d]+(1-ww)*nb[d]
    order=sorted(cand.keys(),key=lambda d:-scores[d])
    return [C.docs[d] for d in order[:topk]], rel, sim

def lexical(C,q,agg='max'):
    mt,bm,co=C.queries[q]
    return [C.docs[d] for d,_,_ in side_rank(C,bm,10,agg,mask=bm>0)]
def semantic(C,q,agg='max'):
    mt,bm,co=C.queries[q]
    return [C.docs[d] for d,_,_ in side_rank(C,co,10,agg)]

J=judgments()
def score(C, fn):
    qs=[q for q in C.queries if q in J]
    return sum(ndcg10(fn(q),J[q]) for q in qs)/len(qs)


def main():
    for arg in sys.argv[1:]:
        path, threshold = arg.rsplit(':', 1)
        ms = float(threshold)
        C = Corpus(path)
        def s(**kw):
            return score(C, lambda q: hybrid(C, q, min_sim=ms, **kw)[0])
        print(path, 'chunks', len(C.keys), 'documents', C.nd)
        print('  lexical %.4f semantic %.4f' % (score(C, lambda q: lexical(C, q)), score(C, lambda q: semantic(C, q))))
        rows = [
            ('before (depth 50, k 60, linear on fixed scales)', {}, {'norm': 'max'}),
            ('depth 20', {'depth': 20}, {'depth': 20, 'norm': 'max'}),
            ('depth 100', {'depth': 100}, {'depth': 100, 'norm': 'max'}),
            ('depth 1000', {'depth': 1000}, {'depth': 1000, 'norm': 'max'}),
            ('linear min-max', None, {'norm': 'minmax'}),
            ('linear z-score', None, {'norm': 'zscore'}),
            ('linear distribution-based (adopted)', None, {'norm': 'dbsf'}),
            ('  w 0.4', None, {'norm': 'dbsf', 'w': 0.4}),
            ('  w 0.6', None, {'norm': 'dbsf', 'w': 0.6}),
            ('sum of chunks per document', {'agg': 'sum'}, {'agg': 'sum', 'norm': 'max'}),
            ('no hit gate', {'gate': False}, {'gate': False, 'norm': 'max'}),
            ('query without instruction', {'plain': True}, {'plain': True, 'norm': 'max'}),
        ]
        for name, rrf, linear in rows:
            r = '%.4f' % s(**rrf) if rrf is not None else '-'
            l = '%.4f' % s(fusion='linear', **linear)
            print('  %-45s rrf %s  linear %s' % (name, r, l))
        print('  rrf k 5/10/20/40/100: ' + ' '.join('%.4f' % s(k=k) for k in (5, 10, 20, 40, 100)))
        print('  semantic without instruction %.4f' % score(C, lambda q: [C.docs[d] for d, _, _ in side_rank(C, C.plain[q][2], 10)]))
        on = [C.queries[q][2].max() for q in C.queries if q in J]
        off = [C.queries[q][2].max() for q in C.queries if q.startswith('off')]
        print('  nearest chunk: questions lowest %.3f p5 %.3f median %.3f; off-topic highest %.3f median %.3f'
              % (min(on), np.percentile(on, 5), np.median(on), max(off), np.median(off)))


if __name__ == '__main__':
    main()
