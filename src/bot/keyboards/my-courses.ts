import { InlineKeyboard } from 'grammy';
import type { ProductView } from '../../modules/catalog/model.ts';
import type { BotContext } from '../context.ts';
import { COURSE_FIELDS } from '../features/course-answers.ts';
import { productButton } from '../format.ts';
import { cb } from './callback-data.ts';

/** The mark of a course's state in the seller's list: on sale, off sale, taken down by the operator. */
export const stateMark = (status: ProductView['status']) =>
  status === 'active' ? '🟢' : status === 'inactive' ? '⏸' : '⛔';

/** The seller's home: their courses and their figures. */
export const sellerMenuKeyboard = (ctx: BotContext) =>
  new InlineKeyboard()
    .text(ctx.t('mycourses-button'), cb.myCourses.pack({ page: 0 }))
    .text(ctx.t('mycourses-dashboard-button'), cb.dashboard.pack({}));

/** One button per course, then previous / next. */
export function myCoursesKeyboard(ctx: BotContext, items: ProductView[], page: number, pages: number) {
  const keyboard = new InlineKeyboard();
  for (const product of items) {
    keyboard
      .text(`${stateMark(product.status)} ${productButton(ctx, product)}`, cb.myCourse.pack({ id: product.id, page }))
      .row();
  }
  if (page > 0) keyboard.text(ctx.t('button-previous'), cb.myCourses.pack({ page: page - 1 }));
  if (page + 1 < pages) keyboard.text(ctx.t('button-next'), cb.myCourses.pack({ page: page + 1 }));
  return keyboard;
}

/** What a seller can do with one course. */
export function myCourseKeyboard(ctx: BotContext, product: ProductView, page: number) {
  const act = (action: 'off' | 'on' | 'del' | 'share' | 'edit') =>
    cb.myCourseAct.pack({ action, id: product.id, page });
  const keyboard = new InlineKeyboard();
  // A course taken down by the operator cannot be changed by its seller, only shared or deleted.
  if (product.status !== 'banned') keyboard.text(ctx.t('mycourse-edit'), act('edit'));
  keyboard.text(ctx.t('mycourse-share'), act('share')).row();
  if (product.status === 'active') keyboard.text(ctx.t('mycourse-off'), act('off'));
  else if (product.status === 'inactive') keyboard.text(ctx.t('mycourse-on'), act('on'));
  return keyboard
    .text(ctx.t('mycourse-delete'), act('del'))
    .row()
    .text(ctx.t('mycourses-back'), cb.myCourses.pack({ page }));
}

/** Back to the course. */
export const backToCourseKeyboard = (ctx: BotContext, id: string, page: number) =>
  new InlineKeyboard().text(ctx.t('button-back'), cb.myCourse.pack({ id, page }));

export const confirmDeleteKeyboard = (ctx: BotContext, id: string, page: number) =>
  new InlineKeyboard()
    .text(ctx.t('mycourse-delete-confirm'), cb.myCourseAct.pack({ action: 'delok', id, page }))
    .text(ctx.t('button-back'), cb.myCourse.pack({ id, page }));

/** Which field to edit: each opens a question. */
export function editFieldsKeyboard(ctx: BotContext, id: string, page: number) {
  const keyboard = new InlineKeyboard();
  COURSE_FIELDS.forEach((field, i) => {
    keyboard.text(ctx.t(`course-field-${field}`), cb.myCourseEdit.pack({ field, id }));
    if (i % 2 === 1) keyboard.row();
  });
  return keyboard.row().text(ctx.t('button-back'), cb.myCourse.pack({ id, page }));
}
