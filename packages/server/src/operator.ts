// What the operator command line may do beyond the procedures: manage users directly.
export { createUser, findUserByName, updateUser, username, type UserChanges } from "./services/users.ts";
export { issueLoginCode } from "./services/login-codes.ts";
