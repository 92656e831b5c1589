"""The toewijzing service's domain, one module per flow (plain functions on a session), the rule checks
beside the flow they serve: beschikking (clients, beschikkingen, toewijzingen and their changes), wmo301
(what a WMO301 carries), uitgaand (queueing messages and retours), startstop (+ _regels), verzoeken
(+ _regels), retouren (WMO302/WMO320), plancheck, beleid, varianten (products and omvang), omgeving."""
