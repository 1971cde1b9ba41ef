"""Lesson 7: the corpus in numbers, and the vocabulary built from it."""
import os

import tang_data

train_text, val_text = tang_data.load()
vocab = tang_data.Vocab(train_text)
train, val = vocab.encode(train_text), vocab.encode(val_text)

poems = [len(text.strip("\n").split("\n\n")) for text in (train_text, val_text)]
couplets = sum(line != "" for line in (train_text + val_text).split("\n"))
print(f"corpus: {sum(poems)} poems, {couplets} couplets, {os.path.getsize(tang_data.CORPUS) / 1000:.1f} KB")
print(f"poems: {poems[0]} for training, {poems[1]} for validation")
print(f"characters: {len(train)} for training, {len(val)} for validation")
print(f"distinct characters in the training text: {len(set(train_text))}")
print(f"vocabulary: {len(vocab)} = {tang_data.UNK} and the {len(vocab) - 1} characters "
      f"seen at least {tang_data.MIN_COUNT} times")
print("most frequent:", " ".join(repr(ch)[1:-1] for ch in vocab.itos[1:13]))
print(f"{tang_data.UNK} share: {train.count(0) / len(train):.1%} of the training text, "
      f"{val.count(0) / len(val):.1%} of the validation text")
first = train_text.split("\n")[0]
print(f"{first} -> {vocab.encode(first)}")
