"""Storage machinery, below every domain app: bulk writers (`bulk`), compiled queries (`compiled`) and the audit
chain's append (`auditlog`).

Domain code says which rows to write; these modules say how (COPY, executemany, UPDATE ... FROM unnest, a
database function). They import no domain app: models are passed in as arguments."""
