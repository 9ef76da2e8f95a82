const { v4: uuid } = require('uuid');
const _ = require('lodash');

exports.handler = async (event) => ({ id: uuid(), width: _.get(event, 'width') });
