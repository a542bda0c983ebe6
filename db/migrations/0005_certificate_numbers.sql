-- One certificate number per kind, producer and product (a certificate covering several products
-- has one row per product, and one with no product): registering the same again is a duplicate.
CREATE UNIQUE INDEX `certificates_number_uq` ON `certificates` (`producer_id`, `kind`, `number`, coalesce(`product_id`, 0));
