"""Trygghetsmätningar: questions, waves, the public answer page, results with the minimum-answers
rule, and the safety index. Imports only `accounts` and `places`."""
