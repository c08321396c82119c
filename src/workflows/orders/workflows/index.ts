export * from "./attribute-order"
export * from "./mark-cart-for-session"
