/** Who signs a submission: anything that signs EIP-712 typed data, wherever its key is kept. */
import type {
  Account,
  Address,
  Chain,
  Hex,
  LocalAccount,
  Transport,
  TypedData,
  TypedDataDefinition,
  WalletClient,
} from "viem";

/**
 * Whatever can sign EIP-712 typed data: a viem local or custom account (`privateKeyToAccount`, a hardware wallet's
 * `toAccount`, `ethersSignerToAccount`), or a wallet client with an account (a browser wallet over EIP-1193).
 */
export type TypedDataSigner =
  Pick<LocalAccount, "address" | "signTypedData"> | WalletClient<Transport, Chain | undefined, Account>;

/** The address a TypedDataSigner signs as. */
export function signerAddress(signer: TypedDataSigner): Address {
  return "address" in signer ? signer.address : signer.account.address;
}

/** Signs typed data with an account, or with a wallet client's account. */
export function signTypedDataWith<const T extends TypedData, P extends keyof T & string>(
  signer: TypedDataSigner,
  typedData: TypedDataDefinition<T, P>,
): Promise<Hex> {
  return "address" in signer
    ? signer.signTypedData(typedData as TypedDataDefinition)
    : signer.signTypedData({ ...(typedData as TypedDataDefinition), account: signer.account });
}
