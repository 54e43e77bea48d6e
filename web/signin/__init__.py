"""Signing in safely (``web.signin``): whose address a request comes from behind the proxy, the rising
delay on a username that keeps failing, the devices a person signed in on before, the session's
absolute lifetime, and who resets a forgotten password. README, "Sign-in and sessions", says it for
readers; each module says why it works the way it does."""
