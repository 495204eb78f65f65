import { router } from "../../trpc.ts";
import { logout } from "./logout.ts";
import { verify } from "./verify.ts";

export const authRouter = router({ verify, logout });
