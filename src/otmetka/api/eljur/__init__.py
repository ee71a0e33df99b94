"""The ЭлЖур-compatible JSON API ("apiv3") over Otmetka's diary and messages: the same
selectors, services and access rules as the pages and /api/v1, in ЭлЖур's names and shapes
(see docs/api.md and shared/reference/eljur-api.md)."""
