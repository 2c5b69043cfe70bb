#!/usr/bin/env python3
"""Per-word differences between a set's references and one system's output, by kind.

Usage: bench/accuracy/word-diff.py REF_DIR OUT_DIR [EXAMPLES_PER_KIND]
  e.g. bench/accuracy/word-diff.py bench/work/accuracy/en-pages-tune \
           bench/work/accuracy/out/ocrgate/en-pages-tune 40

Both texts are normalised like TextNormalizer (NFKC, quotes/dashes/bullets folded, whitespace
split) and aligned with difflib; each unequal span is put in one kind: spurious-space /
missing-space (same letters once spaces are removed), case, punct (same letters and digits),
deleted (reference words with nothing read: lines missed by detection or dropped), inserted,
misread (spans at least 70 % alike), layout/other. Counts are spans and reference words.
"""
import collections
import difflib
import os
import re
import sys
import unicodedata

FOLD = {**{c: "'" for c in "\u2018\u2019\u201a\u201b\u2032`\u00b4"},
        **{c: '"' for c in "\u201c\u201d\u201e\u201f\u2033"},
        **{c: '-' for c in "\u2010\u2011\u2012\u2013\u2014\u2015\u2212"},
        **{c: '\u2022' for c in "\u00b7\u2219\u25cf\u30fb"}}


def words(text):
    text = unicodedata.normalize('NFKC', text)
    return ''.join(FOLD.get(c, ' ' if c.isspace() else c) for c in text).split()


def kind(ref, hyp):
    r, h = ''.join(ref), ''.join(hyp)
    if r == h:
        return 'spurious-space' if len(hyp) > len(ref) else 'missing-space'
    if r.lower() == h.lower():
        return 'case'
    if re.sub(r'[^\w]', '', r) == re.sub(r'[^\w]', '', h):
        return 'punct'
    if not hyp:
        return 'deleted'
    if not ref:
        return 'inserted'
    if difflib.SequenceMatcher(None, r, h).ratio() > 0.7:
        return 'misread'
    return 'layout/other'


def main():
    ref_dir, out_dir = sys.argv[1], sys.argv[2]
    show = int(sys.argv[3]) if len(sys.argv) > 3 else 20
    spans, ref_words = collections.Counter(), collections.Counter()
    examples = collections.defaultdict(list)
    for name in sorted(os.listdir(ref_dir)):
        if not name.endswith('.txt') or not os.path.exists(os.path.join(out_dir, name)):
            continue
        with open(os.path.join(ref_dir, name), encoding='utf-8') as f:
            ref = words(f.read())
        with open(os.path.join(out_dir, name), encoding='utf-8') as f:
            hyp = words(f.read())
        matcher = difflib.SequenceMatcher(None, ref, hyp, autojunk=False)
        for op, i1, i2, j1, j2 in matcher.get_opcodes():
            if op == 'equal':
                continue
            k = kind(ref[i1:i2], hyp[j1:j2])
            spans[k] += 1
            ref_words[k] += i2 - i1
            examples[k].append(f"{name}: {' '.join(ref[i1:i2])[:70]!r} -> {' '.join(hyp[j1:j2])[:70]!r}")
    print('| kind | spans | reference words |\n|---|---:|---:|')
    for k, n in spans.most_common():
        print(f'| {k} | {n} | {ref_words[k]} |')
    for k in spans if show > 0 else []:
        print(f'\n{k}:')
        print('\n'.join('  ' + e for e in examples[k][:show]))


if __name__ == '__main__':
    main()
