"""The waitlist (issue 16): an employer whose group did not fit waits for freed places.

- ``services``: join, withdraw, the offer round (hold the places under the location lock and
  e-mail a link), accept (book the real workers as a normal group booking), decline, expire.
- ``selectors``: an employer's entries, the coordinator's list per location, an offer by token.
- ``tokens``: the signed, opaque offer token in the e-mail link.
- ``forms``, ``views``, ``urls``: the portal pages.

See docs/waitlist.md.
"""
