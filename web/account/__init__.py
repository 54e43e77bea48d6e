"""Account security: the second factor (an authenticator app and recovery codes) that staff, branch heads
and administrators give after their password, and the pages to set it up, use it and reset it.

- ``factor``: who must give a second factor, and every change to a person's factor (set up, verify,
  new recovery codes, turn off, an administrator's reset with its record);
- ``middleware``: a signed-in session that owes the factor reaches only the pages that settle it;
- ``views``/``forms``/``urls``: the pages (``account:`` namespace), server-rendered, no script;
- ``admin``: django-otp's own device admin is taken out, so a factor changes only here, with a record.

It is a small Django app of its own (``web.account``) so that its sign-in hook and deploy check are
connected when Django starts, before any request or test signs anyone in.
"""
