"""Hindsight's recorder: runs a Python program and writes everything it does into a trace DB."""
VERSION = "0.1.0"
