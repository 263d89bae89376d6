"""Secret redaction policy: which names are secret, which str and bytes values are (key and token
formats, URL passwords, values once held under a secret name), and how recorded text is scrubbed.
Only str and bytes are judged; nothing here reads any other object, so no user code runs."""
import re
from fnmatch import translate

from . import pinned

__builtins__ = pinned.BUILTINS  # bound at start-up: the program may replace builtins (len, isinstance)

DEFAULT_REDACT = ("*password*", "*passwd*", "*passphrase*", "*secret*", "*token*", "*api_key*",
                  "*apikey*", "*credential*", "*private_key*", "*access_key*", "authorization",
                  "proxy-authorization", "cookie", "set-cookie", "x-api-key")
MASK = "<redacted>"  # what replaces a secret inside recorded text (output, messages, argv)
MIN_KNOWN = 6  # a shorter value is redacted where it is held, but not searched for elsewhere
MAX_KNOWN = 512  # values remembered; beyond, only names and formats redact
_MAX_KNOWN_LENGTH = 1024
_MAX_NAMES = 65536  # the name cache is cleared past this (dict keys can be anything)
_TEXT, _WHOLE = 1, 2  # what a secret name's value loses: its str and bytes, or all of it
# Plain words and numbers are not learned: searching for them would redact every text that has them
# (a lexer's `token = "identifier"`); they are still redacted where they are held.
_ORDINARY = re.compile(r"[A-Za-z_]*|[0-9]*")

# Formats of well-known keys and tokens, found anywhere in a string.
_FORMATS = {
    "access_keys": r"\b(?:AKIA|ASIA)[0-9A-Z]{16}\b|\bAIza[0-9A-Za-z_-]{35}",  # AWS key ids, Google
    "jwt": r"\beyJ[A-Za-z0-9_-]{4,}\.eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*",
    "underscored": r"\bgh[pousr]_[A-Za-z0-9]{36,}|\bgithub_pat_[A-Za-z0-9_]{22,}|\b[rs]k_live_[A-Za-z0-9]{16,}",
    "dashed": r"\bxox[abprs]-[A-Za-z0-9-]{10,}|\bsk-[A-Za-z0-9_-]{20,}"  # Slack, OpenAI-style, PEM
              r"|-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY-----(?s:.*?-----END (?:[A-Z0-9]+ )*PRIVATE KEY-----|.*)",
    # An Authorization value; the credential has a digit or a case change, so prose is not one.
    "authorization": r"\b[Bb](?:earer|asic) +(?=[A-Za-z0-9._~+/-]*(?:[0-9]|[a-z][A-Z]))[A-Za-z0-9._~+/-]{8,}=*",
    "url": r"://[^\s/:@]*:(?P<password>[^\s/@]+)@",  # a URL's password
}
_ACCESS_KEYS, _JWT, _UNDERSCORED, _DASHED, _AUTHORIZATION, _URL = (re.compile(p) for p in _FORMATS.values())
_MAX_LOOPED = 16  # known values searched one `in` each; more, one regex


def _format_in(text):
    """A match of a key or token format in text, or None. Each regex runs only when its literals
    are in text: `in` is C-speed, a regex alternation tried at every position is not."""
    return (("A" in text and ("AKIA" in text or "ASIA" in text or "AIza" in text) and _ACCESS_KEYS.search(text))
            or ("eyJ" in text and _JWT.search(text))
            or ("_" in text and ("gh" in text or "k_live_" in text) and _UNDERSCORED.search(text))
            or ("-" in text and ("xox" in text or "sk-" in text or "-----BEGIN" in text) and _DASHED.search(text))
            or (("earer " in text or "asic " in text) and _AUTHORIZATION.search(text))
            or ("://" in text and _URL.search(text)) or None)


class Secrets:
    """The policy of one recording; with no patterns (--no-redact) it redacts nothing.

    A DEFAULT_REDACT name is a guess (`token` is often a lexer's), so only the str and bytes it
    holds are redacted; a pattern the user gave (--redact) says the name is secret, so whatever
    it holds is (a salary is a number).
    """

    def __init__(self, patterns):
        self.enabled = bool(patterns)
        self._names = _names(patterns)
        self._whole = _names([p for p in patterns if p not in DEFAULT_REDACT])
        self._name_cache = {}  # name -> 0 (not secret), _TEXT or _WHOLE
        self._known = set()
        self._everything = _compile(self._known)  # for scrub(): every format and known value
        self.verdicts = {}  # str -> value_is_secret, until the next value is learned (read by values.py)

    def name_is_secret(self, name):
        """Whether a variable, dict key, attribute or environment variable name is a secret's."""
        return self._names is not None and self._kind(name) != 0

    def hides_all(self, name):
        """Whether secret name's value is redacted whole, not only its str and bytes."""
        return self._kind(name) == _WHOLE

    def _kind(self, name):
        kind = self._name_cache.get(name)
        if kind is None:
            if len(self._name_cache) >= _MAX_NAMES:
                self._name_cache.clear()
            lower = name.lower()
            kind = (_WHOLE if self._whole is not None and self._whole.match(lower) else
                    _TEXT if self._names.match(lower) else 0)
            self._name_cache[name] = kind
        return kind

    def value_is_secret(self, v, limit):
        """Whether str or bytes v, of which at most limit characters are recorded, holds a secret
        (a key format, a URL password, a known value). A URL's password is learned as it is found."""
        if not self.enabled or len(v) < MIN_KNOWN:
            return False
        if type(v) is not str:
            return self._holds(bytes(v[:limit + 100]).decode("latin-1"))
        verdict = self.verdicts.get(v)
        if verdict is None:
            verdict = self._holds(v[:limit + 100])  # the recorded prefix, and a secret it would cut
            if len(v) <= _MAX_KNOWN_LENGTH:
                if len(self.verdicts) >= _MAX_NAMES:
                    self.verdicts.clear()
                self.verdicts[v] = verdict
        return verdict

    def _holds(self, text):
        found = _format_in(text)
        if found is not None:
            if found.re is _URL:
                self.learn(found.group("password"))
            return True
        known = self._known
        if len(known) > _MAX_LOOPED:
            return self._everything.search(text) is not None
        for k in known:
            if k in text:
                return True
        return False

    def learn(self, v):
        """Remembers v, held by a secret name, so that it is redacted anywhere: if it is str or bytes,
        neither a plain word nor a number, and of a length worth searching for."""
        t = type(v)
        if (not self.enabled or (t is not str and t is not bytes and t is not bytearray)
                or not MIN_KNOWN <= len(v) <= _MAX_KNOWN_LENGTH or len(self._known) >= MAX_KNOWN):
            return
        text = v if t is str else bytes(v).decode("latin-1")
        if _ORDINARY.fullmatch(text):
            return
        forms = {text, text.encode("utf-8", "surrogateescape").decode("latin-1")}  # as str, as bytes
        if not forms <= self._known:
            self._known |= forms
            self._everything = _compile(self._known)
            self.verdicts.clear()

    def learn_environment(self, environ):
        """The values of the environment's secret variables, and the passwords of its URLs."""
        for name, value in environ.items():
            if self.name_is_secret(name):
                self.learn(value)
            else:
                self.value_is_secret(value, len(value))

    def scrub(self, text):
        """text with every secret it holds replaced by MASK (a URL keeps all but its password)."""
        if not self.enabled or len(text) < MIN_KNOWN or not self._holds(text):
            return text
        return self._everything.sub(_mask, text)

    def argv(self, argv):
        """A command line as recorded: `--NAME=VALUE` and `--NAME VALUE` with a secret NAME, and
        secrets inside any argument, masked."""
        shown = []
        hide = False
        for arg in argv:
            name, equals, _ = arg.partition("=")
            if hide:
                shown.append(MASK)
                hide = False
            elif arg.startswith("--") and self.name_is_secret(name[2:]):
                shown.append(name + "=" + MASK if equals else arg)
                hide = not equals
            else:
                shown.append(self.scrub(arg))
        return shown


def _names(patterns):
    return re.compile("|".join(translate(p.lower()) for p in patterns)) if patterns else None


def _compile(known):
    literals = sorted(known, key=len, reverse=True)  # the longest first: a secret holding another
    return re.compile("|".join(tuple(_FORMATS.values()) + tuple(re.escape(k) for k in literals)))


def _mask(found):
    if found.group("password") is None:
        return MASK
    return found.group(0)[:found.start("password") - found.start()] + MASK + "@"
