/** Access control of DataRights: its matrix rows, and HK's customs (no caller kind) deciding what CN-GD's may not. */

import { expect } from "chai";
import { anyValue } from "@nomicfoundation/hardhat-chai-matchers/withArgs";
import { rightsFixture } from "../../helpers/fixtures";
import {
  FOREIGN_CUSTOMS_ORG,
  FOREIGN_REGISTRAR_ORG,
  MATRIX_FINGERPRINT,
  REGISTRAR_ORG,
  describeMatrix,
} from "./matrix";
import {
  FIRST_ID,
  RIGHTS_DECISION,
  RIGHTS_ROWS,
  arrangeGrantPendingHkCustoms,
  arrangeTransferAwaitingHkCustoms,
  expectOwnershipTransferred,
} from "./rights.rules";

describe("Access control", function () {
  describeMatrix(RIGHTS_ROWS);

  describe("customs of the exporting jurisdiction, outside the caller kinds: HK's decides what CN-GD's may not", function () {
    it("lets HK customs approve the HK grant pending its approval", async function () {
      const ctx = await rightsFixture();
      await arrangeGrantPendingHkCustoms(ctx);

      await expect(
        ctx.rights
          .connect(ctx.foreignCustoms)
          .decideGrant(MATRIX_FINGERPRINT, REGISTRAR_ORG, FIRST_ID, true, RIGHTS_DECISION),
      )
        .to.emit(ctx.rights, "GrantDecided")
        .withArgs(
          MATRIX_FINGERPRINT,
          REGISTRAR_ORG,
          ctx.foreignCustoms.address,
          FIRST_ID,
          FOREIGN_CUSTOMS_ORG,
          true,
          RIGHTS_DECISION,
          anyValue,
        );
    });

    it("lets HK customs approve the HK transfer awaiting its approval", async function () {
      const ctx = await rightsFixture();
      await arrangeTransferAwaitingHkCustoms(ctx);
      const tx = ctx.rights.connect(ctx.foreignCustoms).decideTransfer(FIRST_ID, true, RIGHTS_DECISION);

      await expect(tx)
        .to.emit(ctx.rights, "TransferDecided")
        .withArgs(
          MATRIX_FINGERPRINT,
          FOREIGN_CUSTOMS_ORG,
          ctx.foreignCustoms.address,
          FIRST_ID,
          true,
          RIGHTS_DECISION,
          anyValue,
        );
      await expectOwnershipTransferred(ctx, tx, REGISTRAR_ORG, ctx.foreignCustoms.address, FOREIGN_REGISTRAR_ORG);
    });
  });
});
