from linli.core.errors import ErrorCodes, ErrorSpec, LinliError


class CatalogErrorCode(ErrorCodes):
    PRODUCT_NOT_FOUND = ErrorSpec("product_not_found", 404, "找不到该商品", "Product not found")
    LISTING_NOT_FOUND = ErrorSpec(
        "listing_not_found", 404, "该商品未在售或已下架", "This item is not on sale"
    )
    CATEGORY_NOT_FOUND = ErrorSpec("category_not_found", 404, "找不到该分类", "Category not found")
    NOT_YOUR_OUTLET = ErrorSpec(
        "not_your_outlet", 403, "您无权管理该门店", "You may not manage this outlet"
    )
    NOT_YOUR_MERCHANT = ErrorSpec(
        "not_your_merchant",
        403,
        "您无权管理该商户的商品",
        "You may not manage this merchant's products",
    )
    PRICE_INVALID = ErrorSpec(
        "price_invalid", 400, "价格必须大于 0 元：{price}", "The price must be above ¥0: {price}"
    )
    PRODUCT_INVALID = ErrorSpec(
        "product_invalid", 400, "商品信息有误：{reason}", "Invalid product: {reason}"
    )
    SKU_TAKEN = ErrorSpec(
        "sku_taken",
        409,
        "货号 {sku} 已被其他商品使用",
        "SKU {sku} is already used by another product",
    )
    IMPORT_REJECTED = ErrorSpec(
        "import_rejected",
        400,
        "文件中有 {count} 处错误，未导入任何数据",
        "The file has {count} errors; nothing was imported",
    )
    IMPORT_FILE = ErrorSpec(
        "import_file", 400, "无法读取该文件：{reason}", "Cannot read the file: {reason}"
    )
    PHOTO_TYPE = ErrorSpec(
        "photo_type", 400, "图片须为 JPEG、PNG 或 WebP 格式", "Photos must be JPEG, PNG or WebP"
    )
    PHOTO_TOO_LARGE = ErrorSpec(
        "photo_too_large",
        400,
        "图片不能超过 {limit_mb} MB",
        "Photos may be at most {limit_mb} MB",
    )


class CatalogError(LinliError):
    pass
