"""Group bookings and the employer portal: an employer books many workers at once, each into
his own combined visit, from a roster (form, CSV/XLSX file or API).

- ``roster``: the columns, ``RosterRowForm`` (one worker's row, the same checks for the
  file, the portal form and the API) and the file parsers;
- ``engine``: the seam to the scheduling engine (package rule, multi-chain planner,
  all-or-nothing writer), with every error naming the worker's roster row;
- ``services``: create, confirm, cancel, expire holds, add/replace/cancel/reschedule a
  worker, regenerate the employer's feed token (the writes);
- ``selectors``: the reads of the portal and the API;
- ``calendar``: the employer's private calendar feed;
- ``forms``, ``views``, ``urls``: the employer portal pages;
- ``api``: serializers, views and routes of ``/api/v1/group-bookings/``.

The models (``GroupBooking``, ``Employer``) stay in ``scheduling.models``; the templates in
``templates/scheduling/portal/``; the confirmation and change e-mails in
``scheduling.services.notifications`` (booking sends them too).
"""
