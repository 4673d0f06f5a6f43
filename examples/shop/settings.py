PRODUCTS_TABLE = "shop_product"
PAGE_SIZE = 20
