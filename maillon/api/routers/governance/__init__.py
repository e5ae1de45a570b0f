"""The governance API, one router per sub-domain: ``assemblies`` and ``polls``
(polls, casting a ballot, results), on the same selectors and services as the
governance pages."""
