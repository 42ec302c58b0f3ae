"""Replaces bytes OLD by NEW (the same length) in a compiled model: edits
its embedded metadata, to check that hetu-launch rejects inconsistent
models.  patch_model.py IN OUT OLD NEW"""
import sys

src, dst, old, new = sys.argv[1:5]
old, new = old.encode().decode("unicode_escape").encode(), new.encode().decode("unicode_escape").encode()
assert len(old) == len(new), "OLD and NEW must have the same length"
data = open(src, "rb").read()
assert data.count(old) == 1, "OLD must occur once"
open(dst, "wb").write(data.replace(old, new))
