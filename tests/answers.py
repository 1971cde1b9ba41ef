"""Numbers the pages state in prose that no snippet prints, each derived from code here.

tests/test_site.py checks the numbers quoted in prose against them. (The exercises' typed answers are derived in
book/answers.py, which the lesson checker runs.)
"""
import math

from book import answers
from conftest import BOOK

# Numbers quoted in prose with 4 decimals that no snippet prints: how each is obtained.
DERIVED = {
    "0.2395": lambda: -math.log(math.e / (math.e + 2 / math.e)),  # best loss when scores are in (-1, 1)
    "1.0986": lambda: math.log(3),                                 # loss of three equal scores
    "0.3678": lambda: answers.hello_rnn_with_lr_0_1(BOOK),
}
